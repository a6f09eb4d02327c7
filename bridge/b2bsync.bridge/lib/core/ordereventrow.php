<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** The b2b_order_events row for one status change, limited to the fields the block has. */
final class OrderEventRow
{
    public const TABLE_NAME = 'b2b_order_events';

    /**
     * @param list<string> $fieldNames the block's fields
     * @return array<string, mixed> internal values
     */
    public static function values(array $fieldNames, int $orderId, ?string $oldStatus, string $newStatus, ?int $userId, \DateTimeImmutable $now, ?string $reason = null): array
    {
        $wanted = [
            'UF_ORDER_ID' => $orderId,
            'UF_OLD_STATUS' => ($oldStatus === null || $oldStatus === '') ? null : $oldStatus,
            'UF_NEW_STATUS' => $newStatus,
            'UF_USER_ID' => ($userId === null || $userId <= 0) ? null : $userId,
            'UF_REASON' => ($reason === null || $reason === '') ? null : $reason,
            'UF_CREATED_AT' => $now->setTime((int)$now->format('H'), (int)$now->format('i'), (int)$now->format('s')),
        ];
        return array_intersect_key($wanted, array_flip($fieldNames));
    }
}
