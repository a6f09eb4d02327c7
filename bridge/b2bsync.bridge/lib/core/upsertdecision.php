<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The decisions of b2bsync.item.upsert (bridge/contract/README.md, "item.upsert"): which KEY is
 * valid, what its values are, and what to do with the rows the key finds.
 */
final class UpsertDecision
{
    public const ADD = 'added';
    public const UPDATE = 'updated';
    public const UNCHANGED = 'unchanged';

    /**
     * KEY's field names for a single row, checked before any value is converted.
     * @param array<string, array<string, mixed>> $fields the block's fields by name
     * @param array<string, mixed> $given FIELDS with upper-cased names
     * @return list<string>
     */
    public static function key(mixed $raw, array $fields, array $given): array
    {
        $names = self::keyNames($raw, $fields);
        self::present($names, $given);
        return $names;
    }

    /**
     * KEY's field names: a non-empty list of distinct single-valued fields (not files).
     * @param array<string, array<string, mixed>> $fields
     * @return list<string>
     */
    public static function keyNames(mixed $raw, array $fields): array
    {
        if (!is_array($raw) || !array_is_list($raw) || $raw === []) {
            throw ApiError::of(ErrorCode::UPSERT_KEY, 'KEY must be a non-empty list of UF_ field names');
        }
        $names = array_map(static fn (mixed $item): string => strtoupper((string)(is_scalar($item) ? $item : '')), $raw);
        if (count(array_unique($names)) !== count($names)) {
            throw ApiError::of(ErrorCode::UPSERT_KEY, 'KEY repeats a field');
        }
        foreach ($names as $name) {
            $field = $fields[$name] ?? null;
            if ($field === null || $field['MULTIPLE'] || $field['USER_TYPE_ID'] === 'file') {
                throw ApiError::of(ErrorCode::UPSERT_KEY, "KEY: $name is not a single-valued field of the block");
            }
        }
        return $names;
    }

    /**
     * Every KEY field has a value in the row.
     * @param list<string> $key
     * @param array<string, mixed> $given
     */
    public static function present(array $key, array $given): void
    {
        foreach ($key as $name) {
            if (ValueCodec::isEmpty($given[$name] ?? null)) {
                throw ApiError::of(ErrorCode::UPSERT_KEY, "KEY: FIELDS has no value for $name");
            }
        }
    }

    /**
     * The key of a row as a unique index compares it (strings case-folded like the collation,
     * instants as timestamps, whole numbers as integers), as one string for a map.
     * @param list<string> $key
     * @param array<string, mixed> $values internal values by field name
     */
    public static function indexKey(array $key, array $values): string
    {
        $parts = [];
        foreach ($key as $name) {
            $value = $values[$name] ?? null;
            if ($value instanceof \DateTimeInterface) {
                $value = $value->getTimestamp();
            } elseif (is_string($value)) {
                $value = mb_strtolower($value);
            } elseif (is_float($value) && floor($value) === $value && abs($value) < 1e15) {
                $value = (int)$value;
            }
            $parts[] = $value;
        }
        return json_encode($parts, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
    }

    /**
     * @param list<string> $key
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $given
     * @return array<string, mixed> the key's values in their internal forms
     */
    public static function keyValues(array $key, array $fields, array $given, \DateTimeZone $tz): array
    {
        $out = [];
        foreach ($key as $name) {
            try {
                $out[$name] = ValueCodec::convert($fields[$name], $given[$name], $tz);
            } catch (BadValue $e) {
                throw ApiError::of(ErrorCode::VALIDATION, "$name: " . $e->getMessage());
            }
        }
        return $out;
    }

    /**
     * The one row the key found, or null for none; more than one is ERROR_UPSERT_AMBIGUOUS.
     * @param list<array<string, mixed>> $matches
     * @return array<string, mixed>|null
     */
    public static function target(array $matches): ?array
    {
        if (count($matches) > 1) {
            throw ApiError::of(ErrorCode::UPSERT_AMBIGUOUS, 'KEY matches ' . count($matches) . ' rows');
        }
        return $matches[0] ?? null;
    }

    /**
     * UNCHANGED when writing $values would leave $row as it is, else UPDATE.
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $values prepared against $row
     * @param array<string, mixed> $row
     * @param callable(int): ?array{name: string, content: string} $file
     */
    public static function action(array $fields, array $values, array $row, callable $file): string
    {
        foreach ($values as $name => $value) {
            if (!ValueCodec::same($fields[$name], $value, $row[$name] ?? null, $file)) {
                return self::UPDATE;
            }
        }
        return self::UNCHANGED;
    }

    /**
     * The one named lock of an upsert chunk: the block and every key of the chunk (MySQL lock
     * names are at most 64 bytes). A replayed chunk waits for its twin; a single row's lock is
     * the lock of a chunk of that row. Chunks that merely share a key are held apart by the
     * key's unique index (the loser's insert fails and is looked up again).
     * @param list<array<string, mixed>> $keyValueSets
     */
    public static function lockName(int $blockId, array $keyValueSets): string
    {
        $rows = [];
        foreach ($keyValueSets as $keyValues) {
            $parts = [];
            foreach ($keyValues as $name => $value) {
                $text = $value instanceof \DateTimeInterface ? (string)$value->getTimestamp() : (string)$value;
                $parts[] = $name . '=' . (is_string($value) ? mb_strtolower($text) : $text);
            }
            $rows[] = implode("\n", $parts);
        }
        sort($rows, SORT_STRING);
        return 'b2bsync_up_' . $blockId . '_' . md5(implode("\n\n", $rows));
    }
}
