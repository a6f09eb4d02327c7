<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\Condition;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\FileUpload;
use B2bsync\Bridge\Core\ListQuery;
use B2bsync\Bridge\Core\RowPort;
use Bitrix\Highloadblock\HighloadBlockTable;
use Bitrix\Main\Application;
use Bitrix\Main\DB\SqlQueryException;
use Bitrix\Main\ORM\Query\Filter\ConditionTree;
use Bitrix\Main\ORM\Query\Query;
use Bitrix\Main\Type\Date;
use Bitrix\Main\Type\DateTime;

/**
 * Rows of HL-blocks through the block's compiled D7 data class
 * (HighloadBlockTable::compileEntity($id)->getDataClass(); add/update/delete/query,
 * https://dev.1c-bitrix.ru/api_d7/bitrix/highloadblock/highloadblocktable/index.php).
 *
 * Filters are built as an ORM ConditionTree (Query::filter(), where/whereNull/whereIn/whereLike,
 * logic('or'): the D7 ORM's "filter" chapter) with the contract's NULL semantics spelled out. Files: CRestUtil::saveFile() turns [name, base64] into a file array
 * (the rest module's own helper for "fileData"), the user field type stores it; files a write
 * drops are deleted with CFile::Delete() once the row is saved. The per-key upsert lock is the
 * connection's named lock (Connection::lock(), GET_LOCK on MySQL).
 */
final class Items implements RowPort
{
    private const LOCK_TIMEOUT = 10;

    /** @var array<int, class-string> */
    private array $dataClasses = [];

    public function __construct(private readonly \DateTimeZone $tz)
    {
    }

    /** @param array{ID: int} $block */
    private function dataClass(array $block): string
    {
        return $this->dataClasses[$block['ID']] ??= HighloadBlockTable::compileEntity($block['ID'])->getDataClass();
    }

    public function getRow(array $block, array $fields, int $id): ?array
    {
        $dataClass = $this->dataClass($block);
        $row = $dataClass::getList(['select' => ['ID', ...array_keys($fields)], 'filter' => ['=ID' => $id]])->fetch();
        return $row ? $this->internal($fields, $row) : null;
    }

    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array
    {
        $dataClass = $this->dataClass($block);
        /** @var Query $q */
        $q = $dataClass::query();
        $q->setSelect(array_values(array_unique(['ID', ...$query->select])));
        foreach ($query->conditions as $condition) {
            $this->where($q, $fields, $condition);
        }
        foreach ($query->fullOrder() as [$name, $descending]) {
            $q->addOrder($name, $descending ? 'DESC' : 'ASC');
        }
        $q->setLimit($limit);
        if ($offset !== null) {
            $q->setOffset($offset);
            $q->countTotal(true);
        }
        $result = $q->exec();
        $rows = [];
        while ($row = $result->fetch()) {
            $rows[] = $this->internal($fields, $row);
        }
        return ['rows' => $rows, 'total' => $offset === null ? null : (int)$result->getCount()];
    }

    /**
     * One condition with the contract's NULL semantics: !=, NOT IN and NOT LIKE also match NULL.
     * @param array<string, array<string, mixed>> $fields
     */
    private function where(Query $q, array $fields, Condition $c): void
    {
        $name = $c->field;
        $type = $name === 'ID' ? 'integer' : (string)$fields[$name]['USER_TYPE_ID'];
        switch ($c->op) {
            case 'eq':
                $c->value === null ? $q->whereNull($name) : $q->where($name, '=', $this->db($type, $c->value));
                return;
            case 'ne':
                if ($c->value === null) {
                    $q->whereNotNull($name);
                } else {
                    $q->where(Query::filter()->logic(ConditionTree::LOGIC_OR)
                        ->where($name, '!=', $this->db($type, $c->value))
                        ->whereNull($name));
                }
                return;
            case 'gt':
            case 'ge':
            case 'lt':
            case 'le':
                $operator = ['gt' => '>', 'ge' => '>=', 'lt' => '<', 'le' => '<='][$c->op];
                $q->where($name, $operator, $this->db($type, $c->value));
                return;
            case 'in':
            case 'nin':
                $this->whereIn($q, $name, $type, (array)$c->value, $c->op === 'nin');
                return;
            case 'like':
                $q->whereLike($name, self::pattern((string)$c->value));
                return;
            case 'nlike':
                $q->where(Query::filter()->logic(ConditionTree::LOGIC_OR)
                    ->whereNotLike($name, self::pattern((string)$c->value))
                    ->whereNull($name));
                return;
        }
        throw ApiError::of(ErrorCode::ARGUMENT, "filter operation {$c->op} not supported");
    }

    /** @param list<mixed> $values */
    private function whereIn(Query $q, string $name, string $type, array $values, bool $negative): void
    {
        $withNull = in_array(null, $values, true);
        $plain = array_map(fn (mixed $v): mixed => $this->db($type, $v), array_values(array_filter($values, static fn (mixed $v): bool => $v !== null)));
        if (!$negative) {
            if ($plain === []) {
                // "IN ()" is not SQL: an empty list matches nothing (ID is never NULL)
                $withNull ? $q->whereNull($name) : $q->whereNull('ID');
                return;
            }
            $withNull
                ? $q->where(Query::filter()->logic(ConditionTree::LOGIC_OR)->whereIn($name, $plain)->whereNull($name))
                : $q->whereIn($name, $plain);
            return;
        }
        if ($plain === []) {
            if ($withNull) {
                $q->whereNotNull($name);
            }
            return;
        }
        $withNull
            ? $q->where(Query::filter()->whereNotIn($name, $plain)->whereNotNull($name))
            : $q->where(Query::filter()->logic(ConditionTree::LOGIC_OR)->whereNotIn($name, $plain)->whereNull($name));
    }

    /** A LIKE pattern for "contains $text", its own % _ and \ taken literally. */
    private static function pattern(string $text): string
    {
        return '%' . addcslashes($text, '\\%_') . '%';
    }

    /** An internal value as the ORM field wants it. */
    private function db(string $type, mixed $value): mixed
    {
        if ($value instanceof \DateTimeInterface) {
            return DateTime::createFromPhp(\DateTime::createFromInterface($value));
        }
        if ($type === 'date' && is_string($value)) {
            return new Date($value, 'Y-m-d');
        }
        return $value;
    }

    /**
     * A fetched row in ValueCodec's internal forms.
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function internal(array $fields, array $row): array
    {
        $out = ['ID' => (int)$row['ID']];
        foreach ($row as $name => $value) {
            if (!isset($fields[$name])) {
                continue;
            }
            $field = $fields[$name];
            if ($field['MULTIPLE']) {
                $items = is_array($value) ? $value : [];
                $out[$name] = array_values(array_filter(
                    array_map(fn (mixed $v): mixed => $this->internalOne((string)$field['USER_TYPE_ID'], $v), $items),
                    static fn (mixed $v): bool => $v !== null
                ));
            } else {
                $out[$name] = $this->internalOne((string)$field['USER_TYPE_ID'], $value);
            }
        }
        return $out;
    }

    private function internalOne(string $type, mixed $value): mixed
    {
        if ($value === null || $value === '' || $value === false) {
            return ($type === 'boolean' && $value === false) ? 0 : null;
        }
        return match ($type) {
            'integer', 'enumeration', 'file' => (int)$value,
            'boolean' => $value ? 1 : 0,
            'double' => (float)$value,
            'date' => $value instanceof Date ? $value->format('Y-m-d') : (string)$value,
            'datetime' => $value instanceof DateTime
                ? (new \DateTimeImmutable('@' . $value->getTimestamp()))->setTimezone($this->tz)
                : null,
            default => (string)$value,
        };
    }

    public function addRow(array $block, array $fields, array $values): int
    {
        $dataClass = $this->dataClass($block);
        $data = $this->data($fields, $values, []);
        try {
            $result = $dataClass::add($data);
        } catch (SqlQueryException $e) {
            throw self::duplicateOr($e);
        }
        if (!$result->isSuccess()) {
            throw ApiError::of(ErrorCode::VALIDATION, implode('; ', $result->getErrorMessages()));
        }
        return (int)$result->getId();
    }

    public function updateRow(array $block, array $fields, array $row, array $values): void
    {
        $dataClass = $this->dataClass($block);
        $data = $this->data($fields, $values, $row);
        if ($data !== []) {
            try {
                $result = $dataClass::update((int)$row['ID'], $data);
            } catch (SqlQueryException $e) {
                throw self::duplicateOr($e);
            }
            if (!$result->isSuccess()) {
                throw ApiError::of(ErrorCode::VALIDATION, implode('; ', $result->getErrorMessages()));
            }
        }
        $this->dropFiles($fields, $row, $values);
    }

    public function deleteRow(array $block, array $fields, array $row): void
    {
        $dataClass = $this->dataClass($block);
        $result = $dataClass::delete((int)$row['ID']);
        if (!$result->isSuccess()) {
            throw ApiError::of(ErrorCode::CORE, implode('; ', $result->getErrorMessages()));
        }
        $this->dropFiles($fields, $row, array_map(static fn (array $f): mixed => $f['MULTIPLE'] ? [] : null, $fields));
    }

    /**
     * The ORM data of a write. A file that stays is left out (or kept by ID in a multiple list);
     * a new one becomes CRestUtil::saveFile()'s file array.
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $values
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function data(array $fields, array $values, array $row): array
    {
        $data = [];
        foreach ($values as $name => $value) {
            $type = (string)$fields[$name]['USER_TYPE_ID'];
            if ($type === 'file' && !$fields[$name]['MULTIPLE'] && is_int($value) && $value === ($row[$name] ?? null)) {
                continue;
            }
            $data[$name] = $fields[$name]['MULTIPLE']
                ? array_map(fn (mixed $v): mixed => $this->dbValue($type, $v), (array)$value)
                : $this->dbValue($type, $value);
        }
        return $data;
    }

    private function dbValue(string $type, mixed $value): mixed
    {
        if ($value instanceof FileUpload) {
            $file = \CRestUtil::saveFile([$value->name, $value->base64]);
            if (!is_array($file)) {
                throw ApiError::of(ErrorCode::VALIDATION, "the file {$value->name} could not be saved");
            }
            return $file;
        }
        return $value === null ? null : $this->db($type, $value);
    }

    /**
     * Delete the files the write left behind.
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @param array<string, mixed> $values
     */
    private function dropFiles(array $fields, array $row, array $values): void
    {
        foreach ($values as $name => $value) {
            if (($fields[$name]['USER_TYPE_ID'] ?? '') !== 'file') {
                continue;
            }
            $before = array_filter((array)($row[$name] ?? []), 'is_int');
            $kept = array_filter((array)$value, 'is_int');
            foreach (array_diff($before, $kept) as $fileId) {
                \CFile::Delete($fileId);
            }
        }
    }

    private static function duplicateOr(SqlQueryException $e): \Throwable
    {
        if (str_contains($e->getMessage(), 'Duplicate entry')) {
            return ApiError::of(ErrorCode::DUPLICATE, 'the row breaks a unique index');
        }
        return $e;
    }

    /** The stored file's original name and bytes (CFile::GetFileArray(); null when not on disk). */
    public function file(int $fileId): ?array
    {
        $file = \CFile::GetFileArray($fileId);
        if (!is_array($file)) {
            return null;
        }
        $path = Application::getDocumentRoot() . $file['SRC'];
        $content = is_file($path) ? file_get_contents($path) : false;
        return $content === false ? null : ['name' => (string)$file['ORIGINAL_NAME'], 'content' => $content];
    }

    public function lock(string $name): bool
    {
        return Application::getConnection()->lock($name, self::LOCK_TIMEOUT);
    }

    public function unlock(string $name): void
    {
        Application::getConnection()->unlock($name);
    }
}
