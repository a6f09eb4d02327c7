<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The user's notifications (b2b_notifications, written by b2bsync's outbox), newest first, and
 * "mark read" / "mark all read". The unread count (UF_IS_READ not 1) is what the bell shows: on
 * every page, from the controller action the bell polls every 30 s, and pushed through the pull
 * module after every change the cabinet makes. A user only ever reads and marks their own rows.
 */
final class NotificationList
{
    public const PAGE_SIZE = 20;
    /** Rows marked per "all read" pass; the loop runs until none is left. */
    private const BATCH = 200;

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    public function unread(int $userId): int
    {
        $rows = $this->cabinet->rows();
        if ($userId <= 0 || !$rows->has(CabinetRows::NOTIFICATIONS)) {
            return 0;
        }
        return (int)$rows->find(CabinetRows::NOTIFICATIONS, ['=UF_USER_ID' => $userId, '!UF_IS_READ' => 1], ['ID' => 'DESC'], 1, 0)['total'];
    }

    /** @return array<string, mixed> */
    public function build(int $userId, int $page, string $lang, string $baseUrl): array
    {
        $found = $this->cabinet->rows()->find(CabinetRows::NOTIFICATIONS, ['=UF_USER_ID' => $userId], ['UF_CREATED_AT' => 'DESC', 'ID' => 'DESC'], self::PAGE_SIZE, ($page - 1) * self::PAGE_SIZE);
        $rows = [];
        foreach ($found['rows'] as $row) {
            $link = (string)($row['UF_LINK'] ?? '');
            $rows[] = [
                'ID' => $row['ID'],
                'TYPE' => (string)$row['UF_TYPE'],
                'TEXT' => (string)$row['UF_TEXT'],
                'LINK' => self::safeLink($link),
                'DATE' => CabinetFormat::dateTime($row['UF_CREATED_AT'] ?? null, $lang),
                'READ' => (int)($row['UF_IS_READ'] ?? 0) === 1,
            ];
        }
        return [
            'NOTIFICATIONS' => $rows,
            'UNREAD' => $this->unread($userId),
            'PAGING' => Cabinet::paging($baseUrl, [], $page, (int)$found['total'], self::PAGE_SIZE),
        ];
    }

    /** Only links into the site or to http(s): never "javascript:" from a row. */
    public static function safeLink(string $link): ?string
    {
        if ($link === '') {
            return null;
        }
        if (preg_match('~\A(?:https?://|/(?!/))~i', $link) !== 1) {
            return null;
        }
        return $link;
    }

    /**
     * Mark the user's notifications $ids read; the new unread count.
     * @param list<int> $ids
     */
    public function markRead(int $userId, array $ids): int
    {
        $scope = $this->cabinet->scope();
        $rows = [];
        foreach ($ids as $id) {
            $rows[] = $scope->notification($userId, $id);
        }
        foreach ($rows as $row) {
            if ((int)($row['UF_IS_READ'] ?? 0) !== 1) {
                $this->cabinet->rows()->update(CabinetRows::NOTIFICATIONS, (int)$row['ID'], ['UF_IS_READ' => 1]);
            }
        }
        return $this->pushed($userId);
    }

    /** Mark every notification of the user read; the new unread count (0). */
    public function markAllRead(int $userId): int
    {
        $table = $this->cabinet->rows();
        do {
            $batch = $table->all(CabinetRows::NOTIFICATIONS, ['=UF_USER_ID' => $userId, '!UF_IS_READ' => 1], ['ID' => 'ASC'], self::BATCH);
            foreach ($batch as $row) {
                $table->update(CabinetRows::NOTIFICATIONS, (int)$row['ID'], ['UF_IS_READ' => 1]);
            }
        } while (count($batch) === self::BATCH);
        return $this->pushed($userId);
    }

    private function pushed(int $userId): int
    {
        $unread = $this->unread($userId);
        $this->cabinet->people()->pushUnread($userId, $unread);
        return $unread;
    }
}
