<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\PeoplePort;
use Bitrix\Main\Loader;
use Bitrix\Main\UserTable;

/**
 * Users for the cabinet: names from \Bitrix\Main\UserTable; the current company as a user option
 * (CUserOptions, category "b2bsync.bridge", name "company" — kept per user, on every device);
 * the bell's count pushed through \Bitrix\Pull\Event::add() when the pull module is installed
 * (the browser receives onPullEvent-b2bsync.bridge with command "bell").
 */
final class SitePeople implements PeoplePort
{
    private const OPTION_CATEGORY = 'b2bsync.bridge';
    private const OPTION_NAME = 'company';

    public function people(array $ids): array
    {
        if ($ids === []) {
            return [];
        }
        $out = [];
        $rows = UserTable::getList([
            'select' => ['ID', 'LOGIN', 'EMAIL', 'NAME', 'LAST_NAME', 'LANGUAGE_ID'],
            'filter' => ['@ID' => array_values(array_unique($ids))],
        ]);
        while ($row = $rows->fetch()) {
            $name = trim((string)$row['NAME'] . ' ' . (string)$row['LAST_NAME']);
            $out[(int)$row['ID']] = [
                'ID' => (int)$row['ID'],
                'NAME' => $name !== '' ? $name : (string)$row['LOGIN'],
                'EMAIL' => (string)$row['EMAIL'],
                'LANGUAGE_ID' => (string)($row['LANGUAGE_ID'] ?? ''),
            ];
        }
        return $out;
    }

    public function preferredCompany(int $userId): ?int
    {
        $value = \CUserOptions::GetOption(self::OPTION_CATEGORY, self::OPTION_NAME, null, $userId);
        return is_numeric($value) && (int)$value > 0 ? (int)$value : null;
    }

    public function setPreferredCompany(int $userId, int $companyId): void
    {
        \CUserOptions::SetOption(self::OPTION_CATEGORY, self::OPTION_NAME, (string)$companyId, false, $userId);
    }

    public function pushUnread(int $userId, int $unread): void
    {
        if (!Loader::includeModule('pull')) {
            return;
        }
        \Bitrix\Pull\Event::add($userId, [
            'module_id' => 'b2bsync.bridge',
            'command' => 'bell',
            'params' => ['unread' => $unread],
        ]);
    }
}
