<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The module's own options (\Bitrix\Main\Config\Option under "b2bsync.bridge", i.e. b_option; in
 * memory in the tests). Values are text; OptionApi decides which names exist.
 */
interface OptionPort
{
    public function option(string $name): ?string;

    public function setOption(string $name, string $value): void;
}
