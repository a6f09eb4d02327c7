<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** b2bsync.item.* — rows of HL-blocks. */
final class ItemApi
{
    private const UPSERT_ATTEMPTS = 2;
    /** Rows one upsert with ROWS may carry. */
    public const MAX_ROWS = 500;

    public function __construct(
        private readonly BlockApi $blocks,
        private readonly RowPort $rows,
        private readonly SitePort $site,
    ) {
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @return array<string, string>
     */
    public static function columns(array $fields): array
    {
        $columns = ['ID' => 'integer'];
        foreach ($fields as $name => $field) {
            $columns[$name] = $field['MULTIPLE'] ? ListQuery::MULTIPLE : (string)$field['USER_TYPE_ID'];
        }
        return $columns;
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @param list<string> $names
     * @return array<string, mixed>
     */
    public function answerRow(array $fields, array $row, array $names): array
    {
        $tz = $this->site->timezone();
        $out = ['ID' => (int)$row['ID']];
        foreach ($names as $name) {
            if ($name !== 'ID') {
                $out[$name] = ValueCodec::answer($fields[$name], $row[$name] ?? null, $tz);
            }
        }
        return $out;
    }

    /** @return array{result: list<array<string, mixed>>, total: ?int, next: ?int} */
    public function list(Params $params): array
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        $query = ListQuery::parse($params->all(), self::columns($fields), $this->site->timezone());
        $offset = Paging::offset($params->get('START'));
        $found = $this->rows->findRows($block, $fields, $query, Paging::PAGE_SIZE, $offset);
        $rows = array_map(fn (array $row): array => $this->answerRow($fields, $row, $query->select), $found['rows']);
        $nav = Paging::navigation($offset, count($rows), $found['total']);
        return ['result' => $rows, 'total' => $nav['total'], 'next' => $nav['next']];
    }

    /** @return array<string, mixed> */
    public function get(Params $params): array
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        return $this->answerRow($fields, $this->row($block, $fields, $params->id()), array_keys(self::columns($fields)));
    }

    public function add(Params $params): int
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        $values = RowWriter::prepare($fields, $params->object('FIELDS'), $this->site->timezone(), null);
        return $this->rows->addRow($block, $fields, $values);
    }

    public function update(Params $params): bool
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        $row = $this->row($block, $fields, $params->id());
        $values = RowWriter::prepare($fields, $params->object('FIELDS'), $this->site->timezone(), $row);
        if ($values !== []) {
            $this->rows->updateRow($block, $fields, $row, $values);
        }
        return true;
    }

    public function delete(Params $params): bool
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        $this->rows->deleteRow($block, $fields, $this->row($block, $fields, $params->id()));
        return true;
    }

    /**
     * One row (FIELDS): {ID, ACTION}. Many rows (ROWS, up to MAX_ROWS): each upserted on its
     * own — its own lock, its own write — and a list of outcomes in order, {ID, ACTION} or
     * {ERROR, ERROR_DESCRIPTION} for a row that failed; the other rows still go.
     *
     * @return array<array-key, mixed>
     */
    public function upsert(Params $params): array
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        if (!$params->has('ROWS')) {
            return $this->upsertOne($block, $fields, $params->get('KEY'), Params::upperKeys($params->object('FIELDS')));
        }
        if ($params->has('FIELDS')) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'give FIELDS or ROWS, not both');
        }
        $rows = $params->get('ROWS');
        if (!is_array($rows) || !array_is_list($rows) || $rows === [] || count($rows) > self::MAX_ROWS) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'ROWS must be a list of 1-' . self::MAX_ROWS . ' objects');
        }
        $out = [];
        foreach ($rows as $row) {
            try {
                if (!is_array($row) || ($row !== [] && array_is_list($row))) {
                    throw ApiError::of(ErrorCode::ARGUMENT, 'every item of ROWS must be an object');
                }
                $out[] = $this->upsertOne($block, $fields, $params->get('KEY'), Params::upperKeys($row));
            } catch (ApiError $e) {
                $out[] = ['ERROR' => $e->errorCode(), 'ERROR_DESCRIPTION' => $e->getMessage()];
            }
        }
        return $out;
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $given
     * @return array{ID: int, ACTION: string}
     */
    private function upsertOne(array $block, array $fields, mixed $rawKey, array $given): array
    {
        $tz = $this->site->timezone();
        $key = UpsertDecision::key($rawKey, $fields, $given);
        $keyValues = UpsertDecision::keyValues($key, $fields, $given, $tz);
        $lock = UpsertDecision::lockName($block['ID'], $keyValues);
        if (!$this->rows->lock($lock)) {
            throw ApiError::of(ErrorCode::BUSY, 'another upsert of this key is running');
        }
        try {
            return $this->upsertLocked($block, $fields, $given, $key, $keyValues, $tz);
        } finally {
            $this->rows->unlock($lock);
        }
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $given
     * @param list<string> $key
     * @param array<string, mixed> $keyValues
     * @return array{ID: int, ACTION: string}
     */
    private function upsertLocked(array $block, array $fields, array $given, array $key, array $keyValues, \DateTimeZone $tz): array
    {
        for ($attempt = 1; ; $attempt++) {
            $row = UpsertDecision::target($this->byKey($block, $fields, $key, $keyValues));
            if ($row === null) {
                $values = RowWriter::prepare($fields, $given, $tz, null);
                try {
                    return ['ID' => $this->rows->addRow($block, $fields, $values), 'ACTION' => UpsertDecision::ADD];
                } catch (ApiError $e) {
                    // another writer may have added the key meanwhile: look again, once
                    if ($e->errorCode() !== ErrorCode::DUPLICATE || $attempt >= self::UPSERT_ATTEMPTS) {
                        throw $e;
                    }
                    continue;
                }
            }
            $values = RowWriter::prepare($fields, $given, $tz, $row);
            $action = UpsertDecision::action($fields, $values, $row, [$this->rows, 'file']);
            if ($action === UpsertDecision::UPDATE) {
                $this->rows->updateRow($block, $fields, $row, $values);
            }
            return ['ID' => (int)$row['ID'], 'ACTION' => $action];
        }
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param list<string> $key
     * @param array<string, mixed> $keyValues
     * @return list<array<string, mixed>>
     */
    private function byKey(array $block, array $fields, array $key, array $keyValues): array
    {
        $conditions = [];
        foreach ($key as $name) {
            $conditions[] = new Condition($name, 'eq', $keyValues[$name]);
        }
        $query = new ListQuery($conditions, [['ID', false]], array_keys(self::columns($fields)));
        return $this->rows->findRows($block, $fields, $query, 2, null)['rows'];
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @return array<string, mixed>
     */
    private function row(array $block, array $fields, int $id): array
    {
        $row = $this->rows->getRow($block, $fields, $id);
        if ($row === null) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "row $id of {$block['NAME']} not found");
        }
        return $row;
    }
}
