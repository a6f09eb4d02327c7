<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Rows of HL-blocks, in ValueCodec's internal forms. Implemented with the compiled D7 data class
 * by \B2bsync\Bridge\Items and in memory by the tests.
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
     * null $offset the first $limit and no count.
     *
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @return array{rows: list<array<string, mixed>>, total: ?int}
     */
    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array;

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
