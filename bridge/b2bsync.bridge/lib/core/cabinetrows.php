<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The cabinet's HL-block rows, by TABLE_NAME, over the same ports and value rules as the REST
 * scope (BlockPort, RowPort, ListQuery, RowWriter) — so a page reads exactly what b2bsync wrote,
 * and a row the cabinet writes passes the checks an item.add would.
 *
 * Rows come back in ValueCodec's internal forms (ints, floats, 'Y-m-d', DateTimeImmutable in the
 * site's zone, 0/1), except enumeration fields, which are translated to their XML_ID ('owner',
 * 'waybill', 'requested'): the cabinet speaks codes, never item IDs. Filters and written values
 * take XML_IDs for enumeration fields too; an unknown code matches nothing and cannot be written.
 *
 * A block that does not exist means the schema was never applied: CabinetDenied(unconfigured).
 */
final class CabinetRows
{
    public const COMPANIES = 'b2b_companies';
    public const MEMBERS = 'b2b_company_users';
    public const INVITES = 'b2b_invites';
    public const DOCUMENTS = 'b2b_documents';
    public const CREDIT = 'b2b_credit_status';
    public const COMMENTS = 'order_comments';
    public const NOTIFICATIONS = 'b2b_notifications';
    public const ORDER_EVENTS = 'b2b_order_events';
    public const FOLLOWERS = 'b2b_order_followers';

    /** An enumeration item ID no row holds (for a code that is not in the field's list). */
    private const NO_ITEM = -1;

    /** @var array<string, array{block: array{ID: int, NAME: string, TABLE_NAME: string}, fields: array<string, array<string, mixed>>}> */
    private array $tables = [];

    public function __construct(
        private readonly BlockPort $blocks,
        private readonly RowPort $rows,
        private readonly \DateTimeZone $tz,
    ) {
    }

    /** @return array{block: array{ID: int, NAME: string, TABLE_NAME: string}, fields: array<string, array<string, mixed>>} */
    private function table(string $table): array
    {
        if (!isset($this->tables[$table])) {
            foreach ($this->blocks->blocks() as $block) {
                if ($block['TABLE_NAME'] === $table) {
                    $fields = [];
                    foreach ($this->blocks->fields($block['ID']) as $field) {
                        $fields[$field['FIELD_NAME']] = $field;
                    }
                    $this->tables[$table] = ['block' => $block, 'fields' => $fields];
                    break;
                }
            }
        }
        if (!isset($this->tables[$table])) {
            throw new CabinetDenied(CabinetDenied::UNCONFIGURED, "no HL-block with table $table");
        }
        return $this->tables[$table];
    }

    public function has(string $table): bool
    {
        try {
            $this->table($table);
            return true;
        } catch (CabinetDenied) {
            return false;
        }
    }

    /**
     * Rows matching $filter (REST item.list syntax: "=UF_X", ">=UF_DATE", "@UF_STATUS"…) in $order.
     * @param array<string, mixed> $filter
     * @param array<string, string> $order field => ASC|DESC (ID ASC is the last tie-breaker)
     * @param ?int $offset null: the first $limit rows and no count
     * @return array{rows: list<array<string, mixed>>, total: ?int}
     */
    public function find(string $table, array $filter, array $order = ['ID' => 'ASC'], int $limit = 50, ?int $offset = null): array
    {
        ['block' => $block, 'fields' => $fields] = $this->table($table);
        $columns = ItemApi::columns($fields);
        try {
            $query = new ListQuery(
                ListQuery::filter($this->enumFilter($fields, $filter), $columns, $this->tz),
                ListQuery::order($order, $columns),
                array_keys($columns),
            );
        } catch (ApiError $e) {
            throw new CabinetDenied(CabinetDenied::INVALID, $e->getMessage());
        }
        $found = $this->rows->findRows($block, $fields, $query, $limit, $offset);
        return ['rows' => array_map(fn (array $row): array => $this->codes($fields, $row), $found['rows']), 'total' => $found['total']];
    }

    /**
     * @param array<string, mixed> $filter
     * @param array<string, string> $order
     * @return list<array<string, mixed>>
     */
    public function all(string $table, array $filter, array $order = ['ID' => 'ASC'], int $limit = 500): array
    {
        return $this->find($table, $filter, $order, $limit)['rows'];
    }

    /**
     * @param array<string, mixed> $filter
     * @return array<string, mixed>|null
     */
    public function first(string $table, array $filter, array $order = ['ID' => 'ASC']): ?array
    {
        return $this->find($table, $filter, $order, 1)['rows'][0] ?? null;
    }

    /** @return array<string, mixed>|null */
    public function get(string $table, int $id): ?array
    {
        ['block' => $block, 'fields' => $fields] = $this->table($table);
        $row = $this->rows->getRow($block, $fields, $id);
        return $row === null ? null : $this->codes($fields, $row);
    }

    /** @param array<string, mixed> $values REST-style values (enumerations by XML_ID) */
    public function add(string $table, array $values): int
    {
        ['block' => $block, 'fields' => $fields] = $this->table($table);
        return $this->rows->addRow($block, $fields, $this->prepare($fields, $values, null));
    }

    public function delete(string $table, int $id): void
    {
        ['block' => $block, 'fields' => $fields] = $this->table($table);
        $row = $this->rows->getRow($block, $fields, $id);
        if ($row !== null) {
            $this->rows->deleteRow($block, $fields, $row);
        }
    }

    /** @param array<string, mixed> $values */
    public function update(string $table, int $id, array $values): void
    {
        ['block' => $block, 'fields' => $fields] = $this->table($table);
        $row = $this->rows->getRow($block, $fields, $id);
        if ($row === null) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "row $id of $table");
        }
        $prepared = $this->prepare($fields, $values, $row);
        if ($prepared !== []) {
            $this->rows->updateRow($block, $fields, $row, $prepared);
        }
    }

    /** The file stored under $fileId (a row's file field), or null. @return array{name: string, content: string}|null */
    public function file(int $fileId): ?array
    {
        return $this->rows->file($fileId);
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $values
     * @param array<string, mixed>|null $row
     * @return array<string, mixed>
     */
    private function prepare(array $fields, array $values, ?array $row): array
    {
        foreach ($values as $name => $value) {
            $field = $fields[$name] ?? null;
            if ($field !== null && $field['USER_TYPE_ID'] === 'enumeration' && is_string($value) && $value !== '') {
                $values[$name] = $this->itemId($field, $value);
                if ($values[$name] === self::NO_ITEM) {
                    throw new CabinetDenied(CabinetDenied::INVALID, "$name: no value '$value'");
                }
            }
        }
        try {
            return RowWriter::prepare($fields, $values, $this->tz, $row);
        } catch (ApiError $e) {
            throw new CabinetDenied(CabinetDenied::INVALID, $e->getMessage());
        }
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $filter
     * @return array<string, mixed>
     */
    private function enumFilter(array $fields, array $filter): array
    {
        foreach ($filter as $key => $value) {
            $name = ltrim(strtoupper($key), '!@%<>=');
            $field = $fields[$name] ?? null;
            if ($field === null || $field['USER_TYPE_ID'] !== 'enumeration') {
                continue;
            }
            $translate = fn (mixed $code): mixed => is_string($code) ? $this->itemId($field, $code) : $code;
            $filter[$key] = is_array($value) ? array_map($translate, $value) : $translate($value);
        }
        return $filter;
    }

    /** @param array<string, mixed> $field */
    private function itemId(array $field, string $code): int
    {
        foreach ($field['LIST'] ?? [] as $item) {
            if ((string)$item['XML_ID'] === $code) {
                return (int)$item['ID'];
            }
        }
        return self::NO_ITEM;
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function codes(array $fields, array $row): array
    {
        foreach ($fields as $name => $field) {
            if ($field['USER_TYPE_ID'] !== 'enumeration' || $field['MULTIPLE'] || !isset($row[$name])) {
                continue;
            }
            $code = null;
            foreach ($field['LIST'] ?? [] as $item) {
                if ((int)$item['ID'] === (int)$row[$name]) {
                    $code = (string)$item['XML_ID'];
                }
            }
            $row[$name] = $code;
        }
        return $row;
    }
}
