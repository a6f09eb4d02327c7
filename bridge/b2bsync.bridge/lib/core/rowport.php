<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Rows of HL-blocks. Implemented with the compiled D7 data class by \B2bsync\Bridge\Items and in
 * memory by the tests.
 *
 * Rows come back as the site stores them (ValueCodec::fromStore() turns them into the internal
 * form): "" in a string field that was never written, 0 in an emptied enumeration or file field,
 * booleans 0/1. Writes take internal values; the site applies its defaults to the fields an add
 * does not name (an enumeration's DEF item, a boolean's DEFAULT_VALUE or 0, "" for a string).
 * Every write is atomic: when it fails nothing of it is left, no row and no saved file.
 * Conditions match as the contract says, "empty" included: a null with = or ! also means "" for
 * a string field and 0 for an enumeration or file field.
 */
interface RowPort
{
    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields by FIELD_NAME
     * @return array<string, mixed>|null
     */
    public function getRow(array $block, array $fields, int $id): ?array;

    /**
     * Rows matching $query's conditions in its full order: $limit of them from $offset; with a
     * null $offset the first $limit and no count. The total may be D7's shortcut: past the last
     * page it is the offset, not the count (ItemApi then counts).
     *
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @return array{rows: list<array<string, mixed>>, total: ?int}
     */
    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array;

    /**
     * How many rows match $query's conditions.
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     */
    public function countRows(array $block, array $fields, ListQuery $query): int;

    /**
     * Every row whose $key fields hold one of $keyValueSets (compared as a unique index compares
     * them): one query for a whole upsert chunk.
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param list<string> $key
     * @param list<array<string, mixed>> $keyValueSets internal values by key field
     * @return list<array<string, mixed>> by ID
     */
    public function findByKeys(array $block, array $fields, array $key, array $keyValueSets): array;

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $values prepared by RowWriter (uploads pending)
     * @throws ApiError ERROR_DUPLICATE when a unique index refuses the row
     */
    public function addRow(array $block, array $fields, array $values): int;

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row the current row
     * @param array<string, mixed> $values
     * @throws ApiError ERROR_DUPLICATE
     */
    public function updateRow(array $block, array $fields, array $row, array $values): void;

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     */
    public function deleteRow(array $block, array $fields, array $row): void;

    /** @return array{name: string, content: string}|null */
    public function file(int $fileId): ?array;

    /** A named lock serialising writers of one key; false when it could not be taken in time. */
    public function lock(string $name): bool;

    public function unlock(string $name): void;
}
