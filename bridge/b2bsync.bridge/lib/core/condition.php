<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * One parsed filter key: FIELD op VALUE, the value already converted to the field's internal form
 * (a list for in/nin). Ops: eq, ne, gt, ge, lt, le, in, nin, like, nlike.
 *
 * NULL semantics (the contract's): ne/nin/nlike match NULL, gt/ge/lt/le/like never do,
 * eq with null is IS NULL, ne with null IS NOT NULL. matches() evaluates in memory (strings
 * case-insensitively, like the database's default collation); the Bitrix adapter translates the
 * same conditions into a D7 ConditionTree instead.
 */
final class Condition
{
    /** @param mixed $value */
    public function __construct(
        public readonly string $field,
        public readonly string $op,
        public readonly mixed $value,
    ) {
    }

    /** @param array<string, mixed> $row */
    public function matches(array $row): bool
    {
        $actual = $row[$this->field] ?? null;
        return match ($this->op) {
            'eq' => self::equal($actual, $this->value),
            'ne' => !self::equal($actual, $this->value),
            'in' => self::in($actual),
            'nin' => !self::in($actual),
            'like' => $actual !== null && self::contains($actual),
            'nlike' => $actual === null || !self::contains($actual),
            default => $actual !== null && $this->value !== null && self::ordered(self::compare($actual, $this->value)),
        };
    }

    private function ordered(int $cmp): bool
    {
        return match ($this->op) {
            'gt' => $cmp > 0,
            'ge' => $cmp >= 0,
            'lt' => $cmp < 0,
            default => $cmp <= 0,
        };
    }

    private function in(mixed $actual): bool
    {
        foreach ((array)$this->value as $wanted) {
            if (self::equal($actual, $wanted)) {
                return true;
            }
        }
        return false;
    }

    private function contains(mixed $actual): bool
    {
        return mb_stripos((string)$actual, (string)$this->value) !== false;
    }

    public static function equal(mixed $actual, mixed $wanted): bool
    {
        if ($wanted === null || $actual === null) {
            return $wanted === null && $actual === null;
        }
        return self::compare($actual, $wanted) === 0;
    }

    /** Order of two non-null values of one field: numbers, date-times, strings case-folded. */
    public static function compare(mixed $a, mixed $b): int
    {
        if ($a instanceof \DateTimeInterface && $b instanceof \DateTimeInterface) {
            return $a->getTimestamp() <=> $b->getTimestamp();
        }
        if (is_string($a) || is_string($b)) {
            return strcmp(mb_strtolower((string)$a), mb_strtolower((string)$b)) <=> 0;
        }
        return $a <=> $b;
    }
}
