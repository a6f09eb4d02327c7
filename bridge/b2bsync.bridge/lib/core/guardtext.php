<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The text a refused buyer reads: a message of the module's language files with its #NAME#
 * placeholders replaced in one pass (a company named "#REASON#" stays as it is). ROLE becomes the
 * role's title in the page's language, TOTAL and AVAILABLE amounts as the cabinet prints them
 * (CabinetFormat::money in CURRENCY). The texts are those of bridge/contract/order_guard.json.
 */
final class GuardText
{
    private const MONEY = ['TOTAL', 'AVAILABLE'];

    /** @param array<string, string|float> $params */
    public static function render(string $template, array $params, CabinetAccess $roles, string $lang): string
    {
        return (string)preg_replace_callback('/#([A-Z_]+)#/', static function (array $m) use ($params, $roles, $lang): string {
            $name = $m[1];
            if (!array_key_exists($name, $params)) {
                return $m[0];
            }
            if ($name === 'ROLE') {
                return $roles->roleTitle((string)$params[$name], $lang);
            }
            if (in_array($name, self::MONEY, true)) {
                return CabinetFormat::money((float)$params[$name], (string)($params['CURRENCY'] ?? ''), $lang);
            }
            return (string)$params[$name];
        }, $template);
    }
}
