<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * DDL for an index of an HL table (MySQL/MariaDB). String-like user fields live in TEXT columns,
 * which MySQL indexes only by a prefix: 191 characters keeps a utf8mb4 key within 767 bytes on
 * every row format. Values longer than that are unique by their first 191 characters only.
 */
final class IndexSql
{
    public const TEXT_PREFIX = 191;

    /** @param array<string, mixed> $field */
    public static function prefixLength(array $field): ?int
    {
        return in_array($field['USER_TYPE_ID'], ValueCodec::STRING_TYPES, true) ? self::TEXT_PREFIX : null;
    }

    /**
     * @param callable(string): string $quote the connection's identifier quoting
     * @param list<array<string, mixed>> $columns
     */
    public static function create(callable $quote, string $table, string $name, array $columns, bool $unique): string
    {
        $parts = [];
        foreach ($columns as $field) {
            $length = self::prefixLength($field);
            $parts[] = $quote((string)$field['FIELD_NAME']) . ($length === null ? '' : "($length)");
        }
        return 'CREATE ' . ($unique ? 'UNIQUE ' : '') . 'INDEX ' . $quote($name)
            . ' ON ' . $quote($table) . ' (' . implode(', ', $parts) . ')';
    }

    /**
     * Indexes from the rows of SHOW INDEX FROM <table>, the primary key left out.
     * @param iterable<array<string, mixed>> $rows
     * @return array<string, array{FIELDS: list<string>, UNIQUE: bool}>
     */
    public static function fromShowIndex(iterable $rows): array
    {
        $found = [];
        foreach ($rows as $row) {
            $name = (string)$row['Key_name'];
            if ($name === 'PRIMARY') {
                continue;
            }
            $found[$name]['UNIQUE'] = (int)$row['Non_unique'] === 0;
            $found[$name]['COLUMNS'][(int)$row['Seq_in_index']] = (string)$row['Column_name'];
        }
        $out = [];
        foreach ($found as $name => $index) {
            ksort($index['COLUMNS']);
            $out[$name] = ['FIELDS' => array_values($index['COLUMNS']), 'UNIQUE' => $index['UNIQUE']];
        }
        return $out;
    }
}
