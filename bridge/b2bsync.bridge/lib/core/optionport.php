<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The module's own options (\Bitrix\Main\Config\Option under "b2bsync.bridge", i.e. b_option; in
 * memory in the tests). Values are text and an unset option reads as $default (a real site keeps
 * no NULL there: an emptied option is ''); OptionApi decides which names REST may write.
 */
interface OptionPort
{
    public function option(string $name, string $default = ''): string;

    public function setOption(string $name, string $value): void;
}
