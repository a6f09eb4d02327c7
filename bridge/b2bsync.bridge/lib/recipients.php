<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\RecipientPort;
use Bitrix\Main\UserTable;

/**
 * Users b2bsync writes to, read through Bitrix\Main\UserTable (D7): the e-mail, the name and
 * b_user.LANGUAGE_ID — the language a user chose for notifications in the profile (empty when
 * never chosen; b2bsync then writes in its default language).
 */
final class Recipients implements RecipientPort
{
    public function usersByIds(array $ids): array
    {
        if ($ids === []) {
            return [];
        }
        $rows = UserTable::getList([
            'select' => ['ID', 'EMAIL', 'NAME', 'LAST_NAME', 'ACTIVE', 'LANGUAGE_ID'],
            'filter' => ['@ID' => $ids],
            'order' => ['ID' => 'ASC'],
        ]);
        $out = [];
        while ($row = $rows->fetch()) {
            $out[] = [
                'ID' => (int)$row['ID'],
                'EMAIL' => (string)$row['EMAIL'],
                'NAME' => (string)$row['NAME'],
                'LAST_NAME' => (string)$row['LAST_NAME'],
                'ACTIVE' => $row['ACTIVE'] === 'Y',
                'LANGUAGE_ID' => (string)($row['LANGUAGE_ID'] ?? ''),
            ];
        }
        return $out;
    }
}
