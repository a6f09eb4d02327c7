<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Prepares a row write: every FIELDS value converted and checked against the current row before
 * anything is stored, so a refused write leaves no trace.
 */
final class RowWriter
{
    /**
     * @param array<string, array<string, mixed>> $fields the block's fields by FIELD_NAME
     * @param array<string, mixed>|null $current the row being updated, null for a new row
     * @return array<string, mixed> internal values by field name
     */
    public static function prepare(array $fields, mixed $rawFields, \DateTimeZone $tz, ?array $current): array
    {
        $given = Params::upperKeys(Params::asObject($rawFields, 'FIELDS'));
        $out = [];
        foreach ($given as $name => $raw) {
            $field = $fields[$name] ?? null;
            if ($field === null) {
                throw ApiError::of(ErrorCode::ARGUMENT, "FIELDS: unknown field $name");
            }
            try {
                $value = ValueCodec::convert($field, $raw, $tz);
                if ($field['USER_TYPE_ID'] === 'file') {
                    $value = self::resolveFiles($field, $value, $current[$name] ?? null);
                }
            } catch (BadValue $e) {
                throw ApiError::of(ErrorCode::VALIDATION, "$name: " . $e->getMessage());
            }
            if ($field['MANDATORY'] && ValueCodec::isEmpty($value)) {
                throw ApiError::of(ErrorCode::VALIDATION, "$name: a value is required");
            }
            $out[$name] = $value;
        }
        if ($current === null) {
            foreach ($fields as $name => $field) {
                if ($field['MANDATORY'] && !array_key_exists($name, $out)) {
                    throw ApiError::of(ErrorCode::VALIDATION, "$name: a value is required");
                }
            }
        }
        return $out;
    }

    /**
     * File IDs and removals must name the row's own files; uploads stay pending.
     * @param array<string, mixed> $field
     */
    public static function resolveFiles(array $field, mixed $value, mixed $stored): mixed
    {
        if ($field['MULTIPLE']) {
            $kept = is_array($stored) ? array_map('intval', $stored) : [];
            $out = [];
            foreach ($value as $item) {
                if ($item instanceof FileRemove) {
                    if (!in_array($item->fileId, $kept, true)) {
                        throw new BadValue("file {$item->fileId} is not attached to this row");
                    }
                    continue;
                }
                if (is_int($item) && !in_array($item, $kept, true)) {
                    throw new BadValue("file $item is not attached to this row");
                }
                $out[] = $item;
            }
            return $out;
        }
        $storedId = $stored === null ? null : (int)$stored;
        if ($value instanceof FileRemove) {
            if ($value->fileId !== $storedId) {
                throw new BadValue("file {$value->fileId} is not attached to this row");
            }
            return null;
        }
        if (is_int($value) && $value !== $storedId) {
            throw new BadValue("file $value is not attached to this row");
        }
        return $value;
    }

    /**
     * The values of $names as a unique index compares them (strings case-folded, like the
     * collation); null when one is NULL, since NULLs never collide.
     * @param array<string, mixed> $row
     * @param list<string> $names
     * @return list<mixed>|null
     */
    public static function uniqueKey(array $row, array $names): ?array
    {
        $out = [];
        foreach ($names as $name) {
            $value = $row[$name] ?? null;
            if ($value === null) {
                return null;
            }
            if ($value instanceof \DateTimeInterface) {
                $value = $value->getTimestamp();
            }
            $out[] = is_string($value) ? mb_strtolower($value) : $value;
        }
        return $out;
    }
}
