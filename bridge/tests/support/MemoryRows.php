<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\FileUpload;
use B2bsync\Bridge\Core\ItemApi;
use B2bsync\Bridge\Core\ListQuery;
use B2bsync\Bridge\Core\RowWriter;
use B2bsync\Bridge\Core\UpsertDecision;

/**
 * HL-blocks, fields, indexes and rows of the MemorySite, stored the way a real site stores them:
 * defaults applied to the fields an add does not name, "" for a never-written string, 0 for an
 * emptied enumeration or file, booleans 0/1, typed SETTINGS; a unique index refuses a duplicate
 * before anything is stored (the real adapter gets the same from its transaction); past the last
 * page the count is D7's shortcut (the offset).
 */
trait MemoryRows
{
    /** @var array<int, array<string, mixed>> */
    public array $blocks = [];
    /** @var array<int, array<string, mixed>> */
    public array $fields = [];
    /** @var array<int, array<string, array{FIELDS: list<string>, UNIQUE: bool}>> */
    public array $indexes = [];
    /** @var array<int, array<int, array<string, mixed>>> */
    public array $rows = [];
    /** @var array<int, array{name: string, content: string}> */
    public array $files = [];
    /** @var list<string> */
    private array $tables = ['b_user', 'b_user_field', 'b_option', 'b_event', 'b_event_type', 'b_event_message', 'b_file', 'b_hlblock_entity', 'b_sale_order'];
    /** Names of the named locks held (the upsert takes one per chunk). @var list<string> */
    public array $locksTaken = [];

    // BlockPort ----------------------------------------------------------------------------
    public function blocks(): array
    {
        ksort($this->blocks);
        return array_values($this->blocks);
    }

    public function tableExists(string $tableName): bool
    {
        return in_array($tableName, $this->tables, true);
    }

    public function addBlock(string $name, string $tableName, array $lang): int
    {
        $id = $this->next('block');
        $this->blocks[$id] = ['ID' => $id, 'NAME' => $name, 'TABLE_NAME' => $tableName, 'LANG' => $lang];
        $this->tables[] = $tableName;
        $this->rows[$id] = [];
        $this->indexes[$id] = [];
        return $id;
    }

    public function setBlockLang(int $blockId, array $lang): void
    {
        $this->blocks[$blockId]['LANG'] = array_merge($this->blocks[$blockId]['LANG'], $lang);
    }

    public function fields(int $blockId): array
    {
        $found = array_values(array_filter($this->fields, static fn (array $f): bool => $f['HLBLOCK_ID'] === $blockId));
        usort($found, static fn (array $a, array $b): int => [$a['SORT'], $a['ID']] <=> [$b['SORT'], $b['ID']]);
        return $found;
    }

    public function field(int $fieldId): ?array
    {
        return $this->fields[$fieldId] ?? null;
    }

    public function typeExists(string $userTypeId): bool
    {
        return in_array($userTypeId, ['string', 'string_formatted', 'url', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'file'], true);
    }

    public function addField(int $blockId, array $field): int
    {
        $field['ID'] = $this->next('field');
        $field['HLBLOCK_ID'] = $blockId;
        $field['LIST'] = $this->numberItems($field['LIST']);
        $field['SETTINGS'] = BitrixSettings::prepare($field['USER_TYPE_ID'], $field['SETTINGS']);
        $this->fields[$field['ID']] = $field;
        foreach ($this->rows[$blockId] as $id => $row) {
            // a column added to a table with rows: NULL in every row
            $this->rows[$blockId][$id][$field['FIELD_NAME']] = $field['MULTIPLE'] ? [] : null;
        }
        return $field['ID'];
    }

    /**
     * @param list<array<string, mixed>> $items
     * @return list<array<string, mixed>>
     */
    private function numberItems(array $items): array
    {
        foreach ($items as $i => $item) {
            if ($item['ID'] === null) {
                $items[$i]['ID'] = $this->next('enum');
            }
        }
        return $items;
    }

    public function updateField(array $before, array $after): void
    {
        $after['LIST'] = $this->numberItems($after['LIST']);
        $after['SETTINGS'] = BitrixSettings::prepare($after['USER_TYPE_ID'], $after['SETTINGS']);
        $this->fields[$before['ID']] = $after;
    }

    public function indexes(array $block): array
    {
        return $this->indexes[$block['ID']];
    }

    public function createIndex(array $block, string $name, array $columns, bool $unique): void
    {
        $names = array_map(static fn (array $f): string => $f['FIELD_NAME'], $columns);
        if ($unique) {
            $seen = [];
            foreach ($this->rows[$block['ID']] as $row) {
                $key = RowWriter::uniqueKey($row, $names);
                if ($key !== null && in_array($key, $seen, true)) {
                    throw ApiError::of(ErrorCode::INDEX_DUPLICATE_ROWS, "rows repeat the values of $name");
                }
                if ($key !== null) {
                    $seen[] = $key;
                }
            }
        }
        $this->indexes[$block['ID']][$name] = ['FIELDS' => $names, 'UNIQUE' => $unique];
    }

    // RowPort ------------------------------------------------------------------------------
    public function getRow(array $block, array $fields, int $id): ?array
    {
        return $this->rows[$block['ID']][$id] ?? null;
    }

    /**
     * The block's rows matching $query, as stored, in its order.
     * @return list<array<string, mixed>>
     */
    private function matching(array $block, array $fields, ListQuery $query): array
    {
        $stored = $this->rows[$block['ID']];
        ksort($stored);
        $internal = array_map(static fn (array $row): array => ItemApi::internal($fields, $row), array_values($stored));
        return array_map(static fn (array $row): array => $stored[$row['ID']], $query->apply($internal));
    }

    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array
    {
        $matching = $this->matching($block, $fields, $query);
        $page = array_slice($matching, $offset ?? 0, $limit);
        $total = null;
        if ($offset !== null) {
            // D7: a page shorter than the limit is counted as offset + its rows, even past the end
            $total = count($page) < $limit ? $offset + count($page) : count($matching);
        }
        return ['rows' => $page, 'total' => $total];
    }

    public function countRows(array $block, array $fields, ListQuery $query): int
    {
        return count($this->matching($block, $fields, $query));
    }

    public function findByKeys(array $block, array $fields, array $key, array $keyValueSets): array
    {
        $wanted = array_map(static fn (array $set): string => UpsertDecision::indexKey($key, $set), $keyValueSets);
        $stored = $this->rows[$block['ID']];
        ksort($stored);
        $out = [];
        foreach ($stored as $row) {
            if (in_array(UpsertDecision::indexKey($key, ItemApi::internal($fields, $row)), $wanted, true)) {
                $out[] = $row;
            }
        }
        return $out;
    }

    public function addRow(array $block, array $fields, array $values): int
    {
        $row = ['ID' => 0];
        foreach ($fields as $name => $field) {
            $row[$name] = array_key_exists($name, $values)
                ? BitrixSettings::stored($field, $values[$name])
                : BitrixSettings::defaultValue($field);
        }
        $this->checkUnique($block, $row, null);
        $id = $this->next('row' . $block['ID']);
        $row['ID'] = $id;
        $this->rows[$block['ID']][$id] = $this->storeFiles($fields, $row, []);
        return $id;
    }

    public function updateRow(array $block, array $fields, array $row, array $values): void
    {
        $id = (int)$row['ID'];
        $before = $this->rows[$block['ID']][$id];
        $merged = $before;
        foreach ($values as $name => $value) {
            $merged[$name] = BitrixSettings::stored($fields[$name], $value);
        }
        $this->checkUnique($block, $merged, $id);
        $this->rows[$block['ID']][$id] = $this->storeFiles($fields, $merged, $before);
    }

    public function deleteRow(array $block, array $fields, array $row): void
    {
        $stored = $this->rows[$block['ID']][(int)$row['ID']];
        unset($this->rows[$block['ID']][(int)$row['ID']]);
        foreach ($fields as $name => $field) {
            if ($field['USER_TYPE_ID'] === 'file') {
                foreach ((array)($stored[$name] ?? []) as $fileId) {
                    unset($this->files[(int)$fileId]);
                }
            }
        }
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @param array<string, mixed> $before
     * @return array<string, mixed>
     */
    private function storeFiles(array $fields, array $row, array $before): array
    {
        foreach ($fields as $name => $field) {
            if ($field['USER_TYPE_ID'] !== 'file') {
                continue;
            }
            $store = function (mixed $value): mixed {
                if ($value instanceof FileUpload) {
                    $id = $this->next('file');
                    $this->files[$id] = ['name' => $value->name, 'content' => $value->content];
                    return $id;
                }
                return $value;
            };
            $row[$name] = $field['MULTIPLE'] ? array_map($store, $row[$name] ?? []) : $store($row[$name] ?? null);
            $old = array_filter((array)($before[$name] ?? []), static fn (mixed $v): bool => is_int($v) && $v > 0);
            $now = (array)($row[$name] ?? []);
            foreach (array_diff($old, $now) as $gone) {
                unset($this->files[(int)$gone]);
            }
        }
        return $row;
    }

    /** @param array<string, mixed> $row as stored */
    private function checkUnique(array $block, array $row, ?int $rowId): void
    {
        foreach ($this->indexes[$block['ID']] as $name => $index) {
            if (!$index['UNIQUE']) {
                continue;
            }
            $key = RowWriter::uniqueKey($row, $index['FIELDS']);
            if ($key === null) {
                continue;
            }
            foreach ($this->rows[$block['ID']] as $otherId => $other) {
                if ($otherId !== $rowId && RowWriter::uniqueKey($other, $index['FIELDS']) === $key) {
                    throw ApiError::of(ErrorCode::DUPLICATE, "the row breaks the unique index $name");
                }
            }
        }
    }

    public function file(int $fileId): ?array
    {
        return $this->files[$fileId] ?? null;
    }

    public function lock(string $name): bool
    {
        $this->locksTaken[] = $name;
        return true;
    }

    public function unlock(string $name): void
    {
    }
}
