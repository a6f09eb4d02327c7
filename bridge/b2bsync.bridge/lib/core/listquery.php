<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * filter / order / select of the list methods, read strictly: an unknown field, operator or value
 * is ERROR_ARGUMENT, never dropped (bridge/contract/README.md, "item.list").
 *
 * $columns maps a column to its type (ValueCodec types, or self::MULTIPLE for a multiple field,
 * which can be neither filtered nor ordered). The parsed query is evaluated in memory by apply()
 * (metadata lists) or translated by the Bitrix adapter (rows).
 */
final class ListQuery
{
    public const MULTIPLE = 'multiple';

    private const OPS = [
        '' => 'eq', '=' => 'eq', '!' => 'ne', '!=' => 'ne', '>' => 'gt', '>=' => 'ge',
        '<' => 'lt', '<=' => 'le', '@' => 'in', '!@' => 'nin', '%' => 'like', '!%' => 'nlike',
    ];

    /**
     * @param list<Condition> $conditions
     * @param list<array{0: string, 1: bool}> $order column, descending
     * @param list<string> $select
     */
    public function __construct(
        public readonly array $conditions,
        public readonly array $order,
        public readonly array $select,
    ) {
    }

    /**
     * @param array<string, mixed> $params upper-cased names: FILTER, ORDER, SELECT
     * @param array<string, string> $columns
     * @param list<array{0: string, 1: bool}> $defaultOrder
     */
    public static function parse(array $params, array $columns, \DateTimeZone $tz, array $defaultOrder = [['ID', false]]): self
    {
        $conditions = array_key_exists('FILTER', $params) ? self::filter($params['FILTER'], $columns, $tz) : [];
        $order = array_key_exists('ORDER', $params) ? self::order($params['ORDER'], $columns) : [];
        $select = array_key_exists('SELECT', $params) ? self::select($params['SELECT'], $columns) : array_keys($columns);
        return new self($conditions, $order === [] ? $defaultOrder : $order, $select);
    }

    /**
     * @param array<string, string> $columns
     * @return list<Condition>
     */
    public static function filter(mixed $raw, array $columns, \DateTimeZone $tz): array
    {
        $out = [];
        foreach (Params::asObject($raw, 'filter') as $key => $value) {
            if (preg_match('/\A(!@|!%|!=|>=|<=|!|>|<|=|@|%)?([A-Z0-9_]+)\z/', strtoupper($key), $m) !== 1) {
                throw ApiError::of(ErrorCode::ARGUMENT, "filter key '$key': operation not allowed");
            }
            $name = $m[2];
            $type = self::column($columns, $name, 'filter');
            $out[] = self::condition(self::OPS[$m[1]], $name, $type, $value, $tz);
        }
        return $out;
    }

    /** @param array<string, string> $columns */
    private static function column(array $columns, string $name, string $where): string
    {
        if (!array_key_exists($name, $columns)) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$where: unknown field $name");
        }
        if ($columns[$name] === self::MULTIPLE) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$where: multiple field $name is not allowed");
        }
        return $columns[$name];
    }

    private static function condition(string $op, string $name, string $type, mixed $value, \DateTimeZone $tz): Condition
    {
        if ($op === 'like' || $op === 'nlike') {
            if (!in_array($type, ValueCodec::STRING_TYPES, true)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "filter: % is for string fields, not $name");
            }
            $text = self::value($type, $value, $tz);
            if (!is_string($text)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "filter: $name needs a string");
            }
            return new Condition($name, $op, $text);
        }
        if ($op === 'in' || $op === 'nin' || (($op === 'eq' || $op === 'ne') && is_array($value))) {
            $values = [];
            foreach (Params::asList($value, "filter $name") as $item) {
                $values[] = self::value($type, $item, $tz);
            }
            return new Condition($name, ($op === 'eq' || $op === 'in') ? 'in' : 'nin', $values);
        }
        if (in_array($op, ['gt', 'ge', 'lt', 'le'], true) && $value === null) {
            throw ApiError::of(ErrorCode::ARGUMENT, "filter: $name needs a value to compare with");
        }
        return new Condition($name, $op, self::value($type, $value, $tz));
    }

    private static function value(string $type, mixed $value, \DateTimeZone $tz): mixed
    {
        if ($value === null) {
            return null;
        }
        if (is_array($value)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'filter: a single value is expected');
        }
        try {
            return ValueCodec::toScalar($type === 'enumeration' ? 'integer' : $type, $value, $tz);
        } catch (BadValue $e) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'filter: ' . $e->getMessage());
        }
    }

    /**
     * @param array<string, string> $columns
     * @return list<array{0: string, 1: bool}>
     */
    public static function order(mixed $raw, array $columns): array
    {
        $out = [];
        foreach (Params::asObject($raw, 'order') as $key => $direction) {
            $name = strtoupper($key);
            self::column($columns, $name, 'order');
            if (!is_string($direction) || !in_array(strtoupper($direction), ['ASC', 'DESC'], true)) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'order direction should be ASC or DESC');
            }
            $out[] = [$name, strtoupper($direction) === 'DESC'];
        }
        return $out;
    }

    /**
     * @param array<string, string> $columns
     * @return list<string>
     */
    public static function select(mixed $raw, array $columns): array
    {
        $names = array_map(static fn (mixed $item): string => strtoupper((string)$item), Params::asList($raw, 'select'));
        if ($names === [] || in_array('*', $names, true)) {
            return array_keys($columns);
        }
        foreach ($names as $name) {
            if (!array_key_exists($name, $columns)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "select: unknown field $name");
            }
        }
        return array_values(array_filter(array_keys($columns), static fn (string $c): bool => $c === 'ID' || in_array($c, $names, true)));
    }

    /**
     * The order to run: the requested one with ID ascending as the last tie-breaker.
     * @return list<array{0: string, 1: bool}>
     */
    public function fullOrder(): array
    {
        foreach ($this->order as [$name]) {
            if ($name === 'ID') {
                return $this->order;
            }
        }
        return [...$this->order, ['ID', false]];
    }

    /**
     * Evaluate in memory: matching rows in order, NULL lowest.
     * @param list<array<string, mixed>> $rows
     * @return list<array<string, mixed>>
     */
    public function apply(array $rows): array
    {
        $kept = array_values(array_filter($rows, function (array $row): bool {
            foreach ($this->conditions as $condition) {
                if (!$condition->matches($row)) {
                    return false;
                }
            }
            return true;
        }));
        $order = $this->fullOrder();
        usort($kept, static function (array $a, array $b) use ($order): int {
            foreach ($order as [$name, $descending]) {
                $x = $a[$name] ?? null;
                $y = $b[$name] ?? null;
                $cmp = ($x === null || $y === null) ? (($x !== null) <=> ($y !== null)) : Condition::compare($x, $y);
                if ($cmp !== 0) {
                    return $descending ? -$cmp : $cmp;
                }
            }
            return 0;
        });
        return $kept;
    }
}
