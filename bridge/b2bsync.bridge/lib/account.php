<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\AccountPort;
use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use Bitrix\Main\Config\Option;
use Bitrix\Main\GroupTable;
use Bitrix\Main\Loader;
use Bitrix\Main\Security\Random;
use Bitrix\Main\UserGroupTable;
use Bitrix\Main\UserTable;
use Bitrix\Rest\APAuth\PasswordTable;
use Bitrix\Rest\APAuth\PermissionTable;

/**
 * The service account's site objects. Groups: CGroup::Add() with a STRING_ID, found through
 * GroupTable; module rights: CMain::SetGroupRight() / GetGroupRight() (b_module_group). Users:
 * CUser::Add() (the site's password policy applies: the password is long, random and thrown
 * away), CUser::SetUserGroup(). Webhooks: the rest module's APAuth tables —
 * PasswordTable::createPassword($userId, $scopes, $title, true) adds the b_rest_ap row (the
 * secret in PASSWORD, plain text) and one b_rest_ap_permission row per scope, exactly what the
 * intranet's webhook screen does; the rest module answers /rest/<USER_ID>/<PASSWORD>/<method>.
 */
final class Account implements AccountPort
{
    public function groupExists(int $groupId): bool
    {
        return (bool)GroupTable::getList(['select' => ['ID'], 'filter' => ['=ID' => $groupId], 'limit' => 1])->fetch();
    }

    public function findGroup(string $code): ?int
    {
        $row = GroupTable::getList(['select' => ['ID'], 'filter' => ['=STRING_ID' => $code], 'limit' => 1])->fetch();
        return $row ? (int)$row['ID'] : null;
    }

    public function addGroup(string $code, array $names): int
    {
        $group = new \CGroup();
        $name = $names[LANGUAGE_ID] ?? reset($names);
        $id = $group->Add(['ACTIVE' => 'Y', 'C_SORT' => 900, 'NAME' => $name, 'STRING_ID' => $code, 'DESCRIPTION' => implode(' / ', $names)]);
        if (!$id) {
            throw ApiError::of(ErrorCode::CORE, 'CGroup::Add failed: ' . strip_tags((string)$group->LAST_ERROR));
        }
        return (int)$id;
    }

    public function moduleRight(string $module, int $groupId): string
    {
        $rights = \CMain::GetGroupRightList(['MODULE_ID' => $module, 'GROUP_ID' => $groupId]);
        while ($row = $rights->Fetch()) {
            return (string)$row['G_ACCESS'];
        }
        return '';
    }

    public function setModuleRight(string $module, int $groupId, string $right): void
    {
        \CMain::SetGroupRight($module, $groupId, $right);
    }

    public function user(int $userId): ?array
    {
        $row = UserTable::getList([
            'select' => ['ID', 'LOGIN', 'EMAIL', 'ACTIVE'],
            'filter' => ['=ID' => $userId],
        ])->fetch();
        if (!$row) {
            return null;
        }
        $groups = [];
        $rows = UserGroupTable::getList(['select' => ['GROUP_ID'], 'filter' => ['=USER_ID' => $userId]]);
        while ($group = $rows->fetch()) {
            $groups[] = (int)$group['GROUP_ID'];
        }
        sort($groups);
        return [
            'ID' => (int)$row['ID'],
            'LOGIN' => (string)$row['LOGIN'],
            'EMAIL' => (string)$row['EMAIL'],
            'ACTIVE' => $row['ACTIVE'] === 'Y',
            'GROUP_IDS' => array_values(array_unique($groups)),
        ];
    }

    public function findLogin(string $login): ?int
    {
        $row = UserTable::getList(['select' => ['ID'], 'filter' => ['=LOGIN' => $login], 'limit' => 1])->fetch();
        return $row ? (int)$row['ID'] : null;
    }

    public function addServiceUser(string $login, string $email, string $name, array $groups): int
    {
        $password = Random::getStringByAlphabet(32, Random::ALPHABET_ALL) . 'aA1!';
        $user = new \CUser();
        $id = $user->Add([
            'LOGIN' => $login,
            'EMAIL' => $email,
            'NAME' => $name,
            'ACTIVE' => 'Y',
            'PASSWORD' => $password,
            'CONFIRM_PASSWORD' => $password,
            'GROUP_ID' => $groups,
        ]);
        if (!$id) {
            throw ApiError::of(ErrorCode::USER_ADD, trim(strip_tags(str_replace('<br>', ' ', (string)$user->LAST_ERROR))));
        }
        // the site appends its rating groups to every new user: the service user is in one group
        \CUser::SetUserGroup((int)$id, $groups);
        return (int)$id;
    }

    public function setUserGroups(int $userId, array $groups): void
    {
        \CUser::SetUserGroup($userId, $groups);
    }

    public function setUserActive(int $userId, bool $active): void
    {
        $user = new \CUser();
        $user->Update($userId, ['ACTIVE' => $active ? 'Y' : 'N']);
    }

    public function webhooks(int $userId): array
    {
        if (!Loader::includeModule('rest')) {
            return [];
        }
        $out = [];
        $rows = PasswordTable::getList(['select' => ['ID', 'USER_ID', 'PASSWORD', 'ACTIVE'], 'filter' => ['=USER_ID' => $userId], 'order' => ['ID' => 'ASC']]);
        while ($row = $rows->fetch()) {
            $scopes = [];
            $perms = PermissionTable::getList(['select' => ['PERM'], 'filter' => ['=PASSWORD_ID' => $row['ID']]]);
            while ($perm = $perms->fetch()) {
                $scopes[] = (string)$perm['PERM'];
            }
            sort($scopes);
            $out[] = [
                'ID' => (int)$row['ID'],
                'USER_ID' => (int)$row['USER_ID'],
                'PASSWORD' => (string)$row['PASSWORD'],
                'SCOPES' => $scopes,
                'ACTIVE' => ($row['ACTIVE'] ?? 'Y') === 'Y' || $row['ACTIVE'] === true,
            ];
        }
        return $out;
    }

    public function addWebhook(int $userId, array $scopes): array
    {
        if (!Loader::includeModule('rest')) {
            throw ApiError::of(ErrorCode::CORE, 'the rest module is not installed');
        }
        $created = PasswordTable::createPassword($userId, $scopes, 'b2bsync', true);
        if (!is_array($created)) {
            throw ApiError::of(ErrorCode::CORE, 'PasswordTable::createPassword failed');
        }
        return ['ID' => (int)$created['ID'], 'USER_ID' => $userId, 'PASSWORD' => (string)$created['PASSWORD'], 'SCOPES' => $scopes, 'ACTIVE' => true];
    }

    public function deleteWebhook(int $webhookId): void
    {
        if (Loader::includeModule('rest')) {
            PermissionTable::deleteByPasswordId($webhookId);
            PasswordTable::delete($webhookId);
        }
    }

    public function option(string $name): string
    {
        return Option::get(Mail::MODULE_ID, $name, '');
    }

    public function setOption(string $name, string $value): void
    {
        Option::set(Mail::MODULE_ID, $name, $value);
    }
}
