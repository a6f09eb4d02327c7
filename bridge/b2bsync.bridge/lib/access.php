<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\AccessPort;
use B2bsync\Bridge\Core\ServiceAccount;
use Bitrix\Main\Config\Option;
use Bitrix\Main\Engine\CurrentUser;
use Bitrix\Main\UserGroupTable;

/**
 * Who calls and what the module's options allow. The rest module authorizes a webhook's (or an
 * OAuth app's) user for the call (CRestUtil::makeAuth), so CurrentUser is the caller; groups are
 * the stored b_user_group rows (UserGroupTable; CUser::GetUserGroup() would add group 2).
 */
final class Access implements AccessPort
{
    public const OPTION_DECLARED = 'hl_declared';
    public const OPTION_ALLOWED = 'hl_allowed';
    public const OPTION_USER_GROUPS = 'user_groups';

    public function callerId(): int
    {
        try {
            return (int)CurrentUser::get()->getId();
        } catch (\Throwable) {
            return 0;
        }
    }

    public function isAdmin(int $userId): bool
    {
        return in_array(1, $this->memberships($userId), true);
    }

    public function memberships(int $userId): array
    {
        if ($userId <= 0) {
            return [];
        }
        $out = [];
        $rows = UserGroupTable::getList(['select' => ['GROUP_ID'], 'filter' => ['=USER_ID' => $userId]]);
        while ($row = $rows->fetch()) {
            $out[] = (int)$row['GROUP_ID'];
        }
        sort($out);
        return array_values(array_unique($out));
    }

    public function serviceGroupId(): ?int
    {
        $id = (int)Option::get(Mail::MODULE_ID, ServiceAccount::OPTION_GROUP, '0');
        return $id > 0 ? $id : null;
    }

    public function declaredBlocks(): array
    {
        return self::names(Option::get(Mail::MODULE_ID, self::OPTION_DECLARED, '[]'));
    }

    public function setDeclaredBlocks(array $names): void
    {
        Option::set(Mail::MODULE_ID, self::OPTION_DECLARED, json_encode(array_values($names), JSON_THROW_ON_ERROR));
    }

    public function allowedBlocks(): array
    {
        return self::names(Option::get(Mail::MODULE_ID, self::OPTION_ALLOWED, '[]'));
    }

    public function userGroups(): array
    {
        $decoded = json_decode(Option::get(Mail::MODULE_ID, self::OPTION_USER_GROUPS, '[]'), true);
        return is_array($decoded) ? array_values(array_map('intval', $decoded)) : [];
    }

    /** @return list<string> */
    private static function names(string $json): array
    {
        $decoded = json_decode($json, true);
        return is_array($decoded) ? array_values(array_filter($decoded, 'is_string')) : [];
    }
}
