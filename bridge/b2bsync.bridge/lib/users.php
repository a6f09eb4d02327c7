<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\UserPort;
use Bitrix\Main\Config\Option;
use Bitrix\Main\UserGroupTable;
use Bitrix\Main\UserTable;

/**
 * Site users: lookups through Bitrix\Main\UserTable (D7), memberships through UserGroupTable (the
 * stored b_user_group rows: CUser::GetUserGroup() adds group 2 to them), creation through
 * CUser::Add() so that the site's password policy and login rules apply
 * (https://dev.1c-bitrix.ru/api_help/main/reference/cuser/add.php). CRatings::OnAfterUserRegister
 * (main's OnAfterUserAdd handler) appends the rating groups of the main module's options
 * rating_assign_rating_group / rating_assign_authority_group to every new user when
 * rating_assign_type is "auto" (3 and 4 on a fresh e-shop install).
 */
final class Users implements UserPort
{
    public function findByEmail(string $email): ?array
    {
        $row = UserTable::getList([
            'select' => ['ID', 'LOGIN', 'EMAIL', 'NAME', 'LAST_NAME', 'ACTIVE'],
            'filter' => ['=EMAIL' => $email],
            'order' => ['ID' => 'ASC'],
            'limit' => 1,
        ])->fetch();
        if (!$row) {
            return null;
        }
        return [
            'ID' => (int)$row['ID'],
            'LOGIN' => (string)$row['LOGIN'],
            'EMAIL' => (string)$row['EMAIL'],
            'NAME' => (string)$row['NAME'],
            'LAST_NAME' => (string)$row['LAST_NAME'],
            'ACTIVE' => $row['ACTIVE'] === 'Y',
            'GROUP_IDS' => $this->memberships((int)$row['ID']),
        ];
    }

    /** @return list<int> */
    private function memberships(int $userId): array
    {
        $out = [];
        $rows = UserGroupTable::getList(['select' => ['GROUP_ID'], 'filter' => ['=USER_ID' => $userId]]);
        while ($row = $rows->fetch()) {
            $out[] = (int)$row['GROUP_ID'];
        }
        sort($out);
        return array_values(array_unique($out));
    }

    public function automaticGroups(): array
    {
        if (Option::get('main', 'rating_assign_type', 'manual') !== 'auto') {
            return [];
        }
        $out = [];
        foreach (['rating_assign_rating_group', 'rating_assign_authority_group'] as $option) {
            $group = (int)Option::get('main', $option, '0');
            if ($group > 0) {
                $out[] = $group;
            }
        }
        return array_values(array_unique($out));
    }

    public function loginExists(string $login): bool
    {
        return (bool)UserTable::getList(['select' => ['ID'], 'filter' => ['=LOGIN' => $login], 'limit' => 1])->fetch();
    }

    public function addUser(array $user): int
    {
        $cuser = new \CUser();
        $id = $cuser->Add([
            'LOGIN' => $user['LOGIN'],
            'EMAIL' => $user['EMAIL'],
            'NAME' => $user['NAME'],
            'LAST_NAME' => $user['LAST_NAME'],
            'PASSWORD' => $user['PASSWORD'],
            'CONFIRM_PASSWORD' => $user['PASSWORD'],
            'ACTIVE' => 'Y',
            'GROUP_ID' => $user['GROUP_IDS'],
        ]);
        if (!$id) {
            throw ApiError::of(ErrorCode::USER_ADD, trim(strip_tags(str_replace('<br>', ' ', (string)$cuser->LAST_ERROR))));
        }
        return (int)$id;
    }
}
