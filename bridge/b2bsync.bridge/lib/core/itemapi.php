<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** b2bsync.item.* — rows of HL-blocks. */
final class ItemApi
{
    private const UPSERT_ATTEMPTS = 2;
    /** Rows one b2bsync.item.upsert call may carry in ROWS. */
    public const MAX_ROWS = 1000;
    /** Marks a row the chunk added and has not read back yet. */
    private const UNREAD = "\0unread";

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
     * A row as the port stores it, in ValueCodec's internal form.
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    public static function internal(array $fields, array $row): array
    {
        $out = ['ID' => (int)$row['ID']];
        foreach ($fields as $name => $field) {
            if (array_key_exists($name, $row)) {
                $out[$name] = ValueCodec::fromStore($field, $row[$name]);
            }
        }
        return $out;
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row internal
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
        $rows = array_map(fn (array $row): array => $this->answerRow($fields, self::internal($fields, $row), $query->select), $found['rows']);
        $total = $found['total'];
        if ($offset !== null && $offset > 0 && $rows === []) {
            // past the last page D7 answers the offset for the count: count for real
            $total = $this->rows->countRows($block, $fields, $query);
        }
        $nav = Paging::navigation($offset, count($rows), $total);
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
     * FIELDS: one row, its outcome {ID, ACTION} or the error. ROWS: a chunk, each row's outcome
     * in order ({ID, ACTION} or {ERROR, ERROR_DESCRIPTION}), under one lock, found with one lookup.
     * @return array<string, mixed>|list<array<string, mixed>>
     */
    public function upsert(Params $params): array
    {
        $block = $this->blocks->resolve($params);
        $fields = $this->blocks->fieldsByName($block['ID']);
        if ($params->has('ROWS')) {
            if ($params->has('FIELDS')) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'send FIELDS (one row) or ROWS (a list), not both');
            }
            $rows = Params::asList($params->get('ROWS'), 'ROWS');
            if ($rows === [] || count($rows) > self::MAX_ROWS) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'ROWS must hold 1-' . self::MAX_ROWS . ' rows');
            }
            $key = UpsertDecision::keyNames($params->get('KEY'), $fields);
            return $this->chunk($block, $fields, $key, $rows, false);
        }
        $given = Params::upperKeys($params->object('FIELDS'));
        $key = UpsertDecision::key($params->get('KEY'), $fields, $given);
        return $this->chunk($block, $fields, $key, [$given], true)[0];
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param list<string> $key
     * @param list<mixed> $rawRows
     * @return list<array<string, mixed>>
     */
    private function chunk(array $block, array $fields, array $key, array $rawRows, bool $single): array
    {
        $tz = $this->site->timezone();
        $out = [];
        $pending = [];
        foreach ($rawRows as $i => $raw) {
            try {
                $given = Params::upperKeys(Params::asObject($raw, "ROWS[$i]"));
                UpsertDecision::present($key, $given);
                $pending[$i] = [$given, UpsertDecision::keyValues($key, $fields, $given, $tz)];
            } catch (ApiError $e) {
                if ($single) {
                    throw $e;
                }
                $out[$i] = self::failure($e);
            }
        }
        if ($pending !== []) {
            $sets = array_values(array_map(static fn (array $p): array => $p[1], $pending));
            $lock = UpsertDecision::lockName($block['ID'], $sets);
            if (!$this->rows->lock($lock)) {
                throw ApiError::of(ErrorCode::BUSY, 'another upsert of these keys is running');
            }
            try {
                $byKey = [];
                foreach ($this->rows->findByKeys($block, $fields, $key, $sets) as $found) {
                    $row = self::internal($fields, $found);
                    $byKey[UpsertDecision::indexKey($key, $row)][] = $row;
                }
                foreach ($pending as $i => [$given, $keyValues]) {
                    try {
                        $out[$i] = $this->upsertOne($block, $fields, $key, $given, $keyValues, $byKey, $tz);
                    } catch (ApiError $e) {
                        if ($single) {
                            throw $e;
                        }
                        $out[$i] = self::failure($e);
                    }
                }
            } finally {
                $this->rows->unlock($lock);
            }
        }
        ksort($out);
        return array_values($out);
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param list<string> $key
     * @param array<string, mixed> $given
     * @param array<string, mixed> $keyValues
     * @param array<string, list<array<string, mixed>>> $byKey rows found so far, by UpsertDecision::indexKey
     * @return array{ID: int, ACTION: string}
     */
    private function upsertOne(array $block, array $fields, array $key, array $given, array $keyValues, array &$byKey, \DateTimeZone $tz): array
    {
        $indexKey = UpsertDecision::indexKey($key, $keyValues);
        for ($attempt = 1; ; $attempt++) {
            $matches = array_map(fn (array $row): array => $this->fresh($block, $fields, $row), $byKey[$indexKey] ?? []);
            $row = UpsertDecision::target($matches);
            if ($row === null) {
                $values = RowWriter::prepare($fields, $given, $tz, null);
                try {
                    $id = $this->rows->addRow($block, $fields, $values);
                } catch (ApiError $e) {
                    // another writer may have added the key meanwhile: look again, once
                    if ($e->errorCode() !== ErrorCode::DUPLICATE || $attempt >= self::UPSERT_ATTEMPTS) {
                        throw $e;
                    }
                    $byKey[$indexKey] = array_map(
                        static fn (array $r): array => self::internal($fields, $r),
                        $this->rows->findByKeys($block, $fields, $key, [$keyValues])
                    );
                    if ($byKey[$indexKey] === []) {
                        throw $e;
                    }
                    continue;
                }
                $byKey[$indexKey] = [['ID' => $id, self::UNREAD => true]];
                return ['ID' => $id, 'ACTION' => UpsertDecision::ADD];
            }
            $values = RowWriter::prepare($fields, $given, $tz, $row);
            $action = UpsertDecision::action($fields, $values, $row, [$this->rows, 'file']);
            if ($action === UpsertDecision::UPDATE) {
                $this->rows->updateRow($block, $fields, $row, $values);
                $byKey[$indexKey] = [['ID' => (int)$row['ID'], self::UNREAD => true]];
            }
            return ['ID' => (int)$row['ID'], 'ACTION' => $action];
        }
    }

    /**
     * A row of the chunk's map, read again when the chunk itself wrote it (only a key repeated
     * within one chunk needs that).
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function fresh(array $block, array $fields, array $row): array
    {
        return isset($row[self::UNREAD]) ? $this->row($block, $fields, (int)$row['ID']) : $row;
    }

    /** @return array{ERROR: string, ERROR_DESCRIPTION: string} */
    public static function failure(ApiError $e): array
    {
        return ['ERROR' => $e->errorCode(), 'ERROR_DESCRIPTION' => $e->getMessage()];
    }

    /**
     * @param array{ID: int, NAME: string, TABLE_NAME: string} $block
     * @param array<string, array<string, mixed>> $fields
     * @return array<string, mixed> internal
     */
    private function row(array $block, array $fields, int $id): array
    {
        $row = $this->rows->getRow($block, $fields, $id);
        if ($row === null) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "row $id of {$block['NAME']} not found");
        }
        return self::internal($fields, $row);
    }
}
