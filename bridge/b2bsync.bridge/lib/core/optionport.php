<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** The module's own options (\Bitrix\Main\Config\Option on a real site). */
interface OptionPort
{
    public function option(string $name, string $default = ''): string;
}
