<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\Condition;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\FileUpload;
use B2bsync\Bridge\Core\ListQuery;
use B2bsync\Bridge\Core\RowPort;
use B2bsync\Bridge\Core\ValueCodec;
use Bitrix\Highloadblock\HighloadBlockTable;
use Bitrix\Main\Application;
use Bitrix\Main\DB\SqlQueryException;
use Bitrix\Main\ORM\Fields\ExpressionField;
use Bitrix\Main\ORM\Query\Filter\ConditionTree;
use Bitrix\Main\ORM\Query\Query;
use Bitrix\Main\Type\Date;
use Bitrix\Main\Type\DateTime;
use Bitrix\Main\UserField\File\ManualUploadRegistry;

/**
 * Rows of HL-blocks through the block's compiled D7 data class
 * (HighloadBlockTable::compileEntity($id)->getDataClass(); add/update/delete/query,
 * https://dev.1c-bitrix.ru/api_d7/bitrix/highloadblock/highloadblocktable/index.php).
 *
 * Atomic writes: the HL DataManager's add() inserts an empty row (INSERT … (ID) VALUES
 * (DEFAULT)) and then UPDATEs it with the values, so a unique index that refuses the values
 * would leave an all-NULL row behind. Every write runs in a transaction of the D7 connection
 * (startTransaction/commitTransaction/rollbackTransaction), never nested. Uploaded files are saved
 * before it (CRestUtil::saveFile() turns [name, base64] into a file array, CFile::SaveFile()
 * stores it) and handed to the user field by ID through ManualUploadRegistry (FileType's check for
 * files it did not upload itself); when the write fails they are deleted again with
 * CFile::Delete(). Files a successful write drops are deleted after the commit.
 *
 * Reads return what the site stores (RowPort): "" for a never-written string, 0 for an emptied
 * enumeration or file. Filters are an ORM ConditionTree (where/whereNull/whereIn/whereLike,
 * logic('or'): the D7 ORM's "filter" chapter) spelling out the contract's NULL semantics, where a
 * null also means that stored "empty" value. The per-key upsert lock is the connection's named
 * lock (Connection::lock(), GET_LOCK on MySQL).
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
        return $row ? $this->stored($fields, $row) : null;
    }

    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array
    {
        $q = $this->query($block, $fields, $query->conditions);
        $q->setSelect(array_values(array_unique(['ID', ...$query->select])));
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
            $rows[] = $this->stored($fields, $row);
        }
        return ['rows' => $rows, 'total' => $offset === null ? null : (int)$result->getCount()];
    }

    public function countRows(array $block, array $fields, ListQuery $query): int
    {
        $q = $this->query($block, $fields, $query->conditions);
        $q->setSelect([new ExpressionField('CNT', 'COUNT(1)')]);
        $row = $q->exec()->fetch();
        return $row ? (int)$row['CNT'] : 0;
    }

    public function findByKeys(array $block, array $fields, array $key, array $keyValueSets): array
    {
        $q = $this->query($block, $fields, []);
        $q->setSelect(['ID', ...array_keys($fields)]);
        if (count($key) === 1) {
            $name = $key[0];
            $type = (string)$fields[$name]['USER_TYPE_ID'];
            $q->whereIn($name, array_map(fn (array $set): mixed => $this->db($type, $set[$name]), $keyValueSets));
        } else {
            $any = Query::filter()->logic(ConditionTree::LOGIC_OR);
            foreach ($keyValueSets as $set) {
                $all = Query::filter();
                foreach ($key as $name) {
                    $all->where($name, '=', $this->db((string)$fields[$name]['USER_TYPE_ID'], $set[$name]));
                }
                $any->where($all);
            }
            $q->where($any);
        }
        $q->addOrder('ID', 'ASC');
        $result = $q->exec();
        $rows = [];
        while ($row = $result->fetch()) {
            $rows[] = $this->stored($fields, $row);
        }
        return $rows;
    }

    /**
     * @param array{ID: int} $block
     * @param array<string, array<string, mixed>> $fields
     * @param list<Condition> $conditions
     */
    private function query(array $block, array $fields, array $conditions): Query
    {
        $dataClass = $this->dataClass($block);
        /** @var Query $q */
        $q = $dataClass::query();
        foreach ($conditions as $condition) {
            $q->where($this->condition($fields, $condition));
        }
        return $q;
    }

    /**
     * One condition with the contract's semantics: !=, NOT IN and NOT LIKE also match NULL; a
     * null also means the stored "empty" value ("" for strings, 0 for enumerations and files);
     * a boolean stored NULL (a row older than the field) reads 0.
     * @param array<string, array<string, mixed>> $fields
     */
    private function condition(array $fields, Condition $c): ConditionTree
    {
        $name = $c->field;
        $type = $name === 'ID' ? 'integer' : (string)$fields[$name]['USER_TYPE_ID'];
        switch ($c->op) {
            case 'eq':
                return $this->equals($name, $type, $c->value);
            case 'ne':
                return $this->negate($name, $type, $c->value);
            case 'gt':
            case 'ge':
            case 'lt':
            case 'le':
                $operator = ['gt' => '>', 'ge' => '>=', 'lt' => '<', 'le' => '<='][$c->op];
                return Query::filter()->where($name, $operator, $this->db($type, $c->value));
            case 'in':
                $any = Query::filter()->logic(ConditionTree::LOGIC_OR);
                $plain = [];
                foreach ((array)$c->value as $value) {
                    if ($value === null || ($type === 'boolean' && $value === 0)) {
                        $any->where($this->equals($name, $type, $value));
                    } else {
                        $plain[] = $this->db($type, $value);
                    }
                }
                if ($plain !== []) {
                    $any->whereIn($name, $plain);
                }
                // "IN ()" is not SQL: an empty list matches nothing (ID is never NULL)
                return $plain === [] && (array)$c->value === [] ? Query::filter()->whereNull('ID') : $any;
            case 'nin':
                $all = Query::filter()->whereNotNull('ID');
                foreach ((array)$c->value as $value) {
                    $all->where($this->negate($name, $type, $value));
                }
                return $all;
            case 'like':
                return Query::filter()->whereLike($name, self::pattern((string)$c->value));
            case 'nlike':
                return Query::filter()->logic(ConditionTree::LOGIC_OR)
                    ->whereNotLike($name, self::pattern((string)$c->value))
                    ->whereNull($name);
        }
        throw ApiError::of(ErrorCode::ARGUMENT, "filter operation {$c->op} not supported");
    }

    /** The stored value a type keeps for "empty" besides NULL, or null when NULL is the only one. */
    private static function storedEmpty(string $type): mixed
    {
        if (in_array($type, ValueCodec::STRING_TYPES, true)) {
            return '';
        }
        return in_array($type, ['enumeration', 'file'], true) ? 0 : null;
    }

    private function equals(string $name, string $type, mixed $value): ConditionTree
    {
        if ($value === null) {
            if ($type === 'boolean') {
                return Query::filter()->whereNull('ID');
            }
            $empty = self::storedEmpty($type);
            $tree = Query::filter()->logic(ConditionTree::LOGIC_OR)->whereNull($name);
            return $empty === null ? $tree : $tree->where($name, '=', $empty);
        }
        if ($type === 'boolean' && $value === 0) {
            return Query::filter()->logic(ConditionTree::LOGIC_OR)->where($name, '=', 0)->whereNull($name);
        }
        return Query::filter()->where($name, '=', $this->db($type, $value));
    }

    /** NOT equals(), NULL-safe: a value that reads as "not this" matches. */
    private function negate(string $name, string $type, mixed $value): ConditionTree
    {
        if ($value === null) {
            if ($type === 'boolean') {
                return Query::filter()->whereNotNull('ID');
            }
            $empty = self::storedEmpty($type);
            $tree = Query::filter()->whereNotNull($name);
            return $empty === null ? $tree : $tree->where($name, '!=', $empty);
        }
        if ($type === 'boolean' && $value === 0) {
            return Query::filter()->where($name, '=', 1);
        }
        return Query::filter()->logic(ConditionTree::LOGIC_OR)
            ->where($name, '!=', $this->db($type, $value))
            ->whereNull($name);
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
     * A fetched row typed as the site stores it ("" and 0 kept: ValueCodec::fromStore() reads them).
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function stored(array $fields, array $row): array
    {
        $out = ['ID' => (int)$row['ID']];
        foreach ($row as $name => $value) {
            if (!isset($fields[$name])) {
                continue;
            }
            $field = $fields[$name];
            $type = (string)$field['USER_TYPE_ID'];
            $out[$name] = $field['MULTIPLE']
                ? array_map(fn (mixed $v): mixed => $this->typed($type, $v), is_array($value) ? array_values($value) : [])
                : $this->typed($type, $value);
        }
        return $out;
    }

    private function typed(string $type, mixed $value): mixed
    {
        if ($value === null) {
            return null;
        }
        return match ($type) {
            'integer', 'enumeration', 'file', 'boolean' => (int)$value,
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
        $saved = [];
        try {
            $data = $this->data($block, $fields, $values, [], $saved);
            $id = $this->atomically(static function () use ($dataClass, $data): int {
                $result = $dataClass::add($data);
                if (!$result->isSuccess()) {
                    throw ApiError::of(ErrorCode::VALIDATION, implode('; ', $result->getErrorMessages()));
                }
                return (int)$result->getId();
            });
        } catch (\Throwable $e) {
            self::deleteFiles($saved);
            throw $e;
        }
        return $id;
    }

    public function updateRow(array $block, array $fields, array $row, array $values): void
    {
        $dataClass = $this->dataClass($block);
        $saved = [];
        try {
            $data = $this->data($block, $fields, $values, $row, $saved);
            if ($data !== []) {
                $this->atomically(static function () use ($dataClass, $row, $data): int {
                    $result = $dataClass::update((int)$row['ID'], $data);
                    if (!$result->isSuccess()) {
                        throw ApiError::of(ErrorCode::VALIDATION, implode('; ', $result->getErrorMessages()));
                    }
                    return (int)$row['ID'];
                });
            }
        } catch (\Throwable $e) {
            self::deleteFiles($saved);
            throw $e;
        }
        $this->dropFiles($fields, $row, $values);
    }

    public function deleteRow(array $block, array $fields, array $row): void
    {
        $dataClass = $this->dataClass($block);
        $this->atomically(static function () use ($dataClass, $row): int {
            $result = $dataClass::delete((int)$row['ID']);
            if (!$result->isSuccess()) {
                throw ApiError::of(ErrorCode::CORE, implode('; ', $result->getErrorMessages()));
            }
            return (int)$row['ID'];
        });
        $this->dropFiles($fields, $row, array_map(static fn (array $f): mixed => $f['MULTIPLE'] ? [] : null, $fields));
    }

    /**
     * Run a write in one transaction; a unique index's refusal becomes ERROR_DUPLICATE.
     * @param callable(): int $write
     */
    private function atomically(callable $write): int
    {
        $connection = Application::getConnection();
        $connection->startTransaction();
        try {
            $id = $write();
            $connection->commitTransaction();
            return $id;
        } catch (SqlQueryException $e) {
            $connection->rollbackTransaction();
            throw self::duplicateOr($e);
        } catch (\Throwable $e) {
            $connection->rollbackTransaction();
            throw $e;
        }
    }

    /**
     * The ORM data of a write. A file that stays is left out (or kept by ID in a multiple list);
     * a new one is saved now and passed by ID ($saved collects the IDs to delete on failure).
     * @param array{ID: int} $block
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $values
     * @param array<string, mixed> $row
     * @param list<int> $saved
     * @return array<string, mixed>
     */
    private function data(array $block, array $fields, array $values, array $row, array &$saved): array
    {
        $data = [];
        foreach ($values as $name => $value) {
            $field = $fields[$name];
            $type = (string)$field['USER_TYPE_ID'];
            if ($type === 'file' && !$field['MULTIPLE'] && is_int($value) && $value === ($row[$name] ?? null)) {
                continue;
            }
            $data[$name] = $field['MULTIPLE']
                ? array_map(fn (mixed $v): mixed => $this->dbValue($block, $field, $v, $saved), (array)$value)
                : $this->dbValue($block, $field, $value, $saved);
        }
        return $data;
    }

    /**
     * @param array{ID: int} $block
     * @param array<string, mixed> $field
     * @param list<int> $saved
     */
    private function dbValue(array $block, array $field, mixed $value, array &$saved): mixed
    {
        if (!$value instanceof FileUpload) {
            return $value === null ? null : $this->db((string)$field['USER_TYPE_ID'], $value);
        }
        $file = \CRestUtil::saveFile([$value->name, $value->base64]);
        if (!is_array($file)) {
            throw ApiError::of(ErrorCode::VALIDATION, "the file {$value->name} could not be saved");
        }
        if (!class_exists(ManualUploadRegistry::class)) {
            return $file; // an older core: the user field saves it inside the transaction
        }
        $file['MODULE_ID'] = 'uf';
        $fileId = (int)\CFile::SaveFile($file, 'uf');
        if ($fileId <= 0) {
            throw ApiError::of(ErrorCode::VALIDATION, "the file {$value->name} could not be saved");
        }
        $saved[] = $fileId;
        ManualUploadRegistry::getInstance()->registerFile([
            'ID' => $field['ID'],
            'ENTITY_ID' => 'HLBLOCK_' . $block['ID'],
            'FIELD_NAME' => $field['FIELD_NAME'],
            'MULTIPLE' => $field['MULTIPLE'] ? 'Y' : 'N',
        ], $fileId);
        return $fileId;
    }

    /** @param list<int> $fileIds */
    private static function deleteFiles(array $fileIds): void
    {
        foreach ($fileIds as $fileId) {
            \CFile::Delete($fileId);
        }
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
            $before = array_filter((array)($row[$name] ?? []), static fn (mixed $id): bool => is_int($id) && $id > 0);
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
