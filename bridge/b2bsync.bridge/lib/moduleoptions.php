<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\OptionPort;
use Bitrix\Main\Config\Option;

/** The module's options (Bitrix\Main\Config\Option; defaults in default_option.php). */
final class ModuleOptions implements OptionPort
{
    public const MODULE_ID = 'b2bsync.bridge';

    public function option(string $name, string $default = ''): string
    {
        return (string)Option::get(self::MODULE_ID, $name, $default);
    }
}
