<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\RecipientPort;
use Bitrix\Main\Type\DateTime;
use Bitrix\Main\UserGroupTable;
use Bitrix\Main\UserTable;

/**
 * Users b2bsync writes to, read through Bitrix\Main\UserTable (D7): the e-mail, the name and
 * b_user.LANGUAGE_ID — the language a user chose for notifications in the profile (empty when
 * never chosen; b2bsync then writes in its default language); and their group memberships from
 * UserGroupTable (b_user_group), the ones of active groups whose DATE_ACTIVE_FROM/TO hold now
 * (b2bsync checks its approval override groups with them).
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
                'GROUP_IDS' => [],
            ];
        }
        $index = array_flip(array_column($out, 'ID'));
        $now = time();
        $memberships = UserGroupTable::getList([
            'select' => ['USER_ID', 'GROUP_ID', 'DATE_ACTIVE_FROM', 'DATE_ACTIVE_TO'],
            'filter' => ['@USER_ID' => $ids, '=GROUP.ACTIVE' => 'Y'],
        ]);
        while ($row = $memberships->fetch()) {
            $from = $row['DATE_ACTIVE_FROM'] instanceof DateTime ? $row['DATE_ACTIVE_FROM']->getTimestamp() : null;
            $to = $row['DATE_ACTIVE_TO'] instanceof DateTime ? $row['DATE_ACTIVE_TO']->getTimestamp() : null;
            if (($from !== null && $from > $now) || ($to !== null && $to < $now) || !isset($index[(int)$row['USER_ID']])) {
                continue;
            }
            $out[$index[(int)$row['USER_ID']]]['GROUP_IDS'][] = (int)$row['GROUP_ID'];
        }
        return $out;
    }
}
