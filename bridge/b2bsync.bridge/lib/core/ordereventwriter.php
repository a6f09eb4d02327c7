<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the OnSaleStatusOrderChange handler does: one b2b_order_events row per change, only once
 * the block exists and only with the fields it has. A StatusChangeNote set around the change
 * gives the row its reason and, for a change made in someone's name, the acting user.
 */
final class OrderEventWriter
{
    public function __construct(
        private readonly BlockPort $blocks,
        private readonly RowPort $rows,
        private readonly SitePort $site,
    ) {
    }

    /** The new row's ID, or null when there is no events block. */
    public function write(int $orderId, ?string $oldStatus, string $newStatus, ?int $userId): ?int
    {
        $note = StatusChangeNote::take($orderId);
        $userId = $note['USER_ID'] ?? $userId;
        foreach ($this->blocks->blocks() as $block) {
            if ($block['TABLE_NAME'] !== OrderEventRow::TABLE_NAME) {
                continue;
            }
            $fields = [];
            foreach ($this->blocks->fields($block['ID']) as $field) {
                $fields[$field['FIELD_NAME']] = $field;
            }
            $values = OrderEventRow::values(array_keys($fields), $orderId, $oldStatus, $newStatus, $userId, $this->site->now(), $note['REASON'] ?? null);
            return $this->rows->addRow($block, $fields, $values);
        }
        return null;
    }
}
