<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * 50-row pages as the rest module's IRestService::getNavData()/setNavData() cut them, with the
 * offset floored to a page boundary. A negative start skips the count (no next, no total).
 */
final class Paging
{
    public const PAGE_SIZE = 50;

    /** The offset for a start parameter (read like intval), or null when no count is wanted. */
    public static function offset(mixed $start): ?int
    {
        $value = is_array($start) ? 0 : (int)$start;
        if ($value < 0) {
            return null;
        }
        return $value - $value % self::PAGE_SIZE;
    }

    /**
     * next and total for a page of $rows rows at $offset out of $count; null entries are left out.
     * @return array{next: ?int, total: ?int}
     */
    public static function navigation(?int $offset, int $rows, ?int $count): array
    {
        if ($offset === null || $count === null) {
            return ['next' => null, 'total' => null];
        }
        return ['next' => $offset + $rows < $count ? $offset + $rows : null, 'total' => $count];
    }
}
