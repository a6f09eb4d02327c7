<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\OptionPort;
use Bitrix\Main\Config\Option;

/**
 * The module's options in b_option through \Bitrix\Main\Config\Option::get()/set() (module
 * "b2bsync.bridge", no site id; defaults in default_option.php). Option caches the values per
 * request and in the managed cache, and set() clears both, so a value written by REST is what
 * the next page reads.
 */
final class ModuleOptions implements OptionPort
{
    public const MODULE_ID = 'b2bsync.bridge';

    public function option(string $name, string $default = ''): string
    {
        return (string)Option::get(self::MODULE_ID, $name, $default);
    }

    public function setOption(string $name, string $value): void
    {
        Option::set(self::MODULE_ID, $name, $value);
    }
}
