<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the status log should record about the next status change of an order beyond what the
 * sale event carries: the reason given (the cabinet's rejection, b2bsync.order.status.set) and,
 * for a change made in someone else's name, who made it.
 *
 * The sale module fires OnSaleStatusOrderChange deep inside Order::save(), with the order and the
 * two statuses only; so the code that changes a status puts its note here around the save
 * (around()), and the status-log writer takes it (take(): once, for the change it describes).
 * A note never outlives the call that set it.
 */
final class StatusChangeNote
{
    /** @var array<int, array{REASON: ?string, USER_ID: ?int}> order ID => note */
    private static array $notes = [];

    /**
     * Run $change (the status change of $orderId) with the note set.
     * @template T
     * @param callable(): T $change
     * @return T
     */
    public static function around(int $orderId, ?string $reason, ?int $userId, callable $change): mixed
    {
        self::$notes[$orderId] = [
            'REASON' => $reason === null || trim($reason) === '' ? null : $reason,
            'USER_ID' => $userId !== null && $userId > 0 ? $userId : null,
        ];
        try {
            return $change();
        } finally {
            unset(self::$notes[$orderId]);
        }
    }

    /** @return array{REASON: ?string, USER_ID: ?int}|null the note for this change of the order, taken */
    public static function take(int $orderId): ?array
    {
        $note = self::$notes[$orderId] ?? null;
        unset(self::$notes[$orderId]);
        return $note;
    }
}
