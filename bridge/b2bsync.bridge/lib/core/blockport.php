<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * HL-blocks, their user fields and indexes, as the site stores them. Implemented with D7 by
 * \B2bsync\Bridge\HlBlocks and in memory by the tests. Fields are FieldSpec's normalized arrays.
 */
interface BlockPort
{
    /** @return list<array{ID: int, NAME: string, TABLE_NAME: string, LANG: array<string, string>}> by ID */
    public function blocks(): array;

    /** Whether the database has a table of that name (an HL-block's or any other). */
    public function tableExists(string $tableName): bool;

    /** @param array<string, string> $lang */
    public function addBlock(string $name, string $tableName, array $lang): int;

    /** @param array<string, string> $lang only the languages given change */
    public function setBlockLang(int $blockId, array $lang): void;

    /** @return list<array<string, mixed>> by SORT, then ID */
    public function fields(int $blockId): array;

    /** @return array<string, mixed>|null */
    public function field(int $fieldId): ?array;

    public function typeExists(string $userTypeId): bool;

    /** @param array<string, mixed> $field from FieldSpec::forAdd(); new LIST items have ID null */
    public function addField(int $blockId, array $field): int;

    /**
     * @param array<string, mixed> $before
     * @param array<string, mixed> $after from FieldSpec::forUpdate(), labels already merged
     */
    public function updateField(array $before, array $after): void;

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @return array<string, array{FIELDS: list<string>, UNIQUE: bool}> by name, the primary key left out
     */
    public function indexes(array $block): array;

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param list<array<string, mixed>> $columns the indexed fields, in order
     * @throws ApiError ERROR_INDEX_DUPLICATE_ROWS when a unique index cannot be built
     */
    public function createIndex(array $block, string $name, array $columns, bool $unique): void;
}
