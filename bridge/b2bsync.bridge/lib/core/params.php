<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The parameters of one call as the rest module hands them over (json_decode(…, true) or PHP form
 * decoding), read the way the contract says: names case-insensitive, shapes strict.
 */
final class Params
{
    /** @var array<string, mixed> */
    private array $raw = [];

    /** @param array<array-key, mixed> $query */
    public function __construct(array $query)
    {
        $this->raw = self::upperKeys($query);
    }

    /**
     * @param array<array-key, mixed> $values
     * @return array<string, mixed>
     */
    public static function upperKeys(array $values): array
    {
        $out = [];
        foreach ($values as $key => $value) {
            $out[strtoupper((string)$key)] = $value;
        }
        return $out;
    }

    /** @return array<string, mixed> */
    public function all(): array
    {
        return $this->raw;
    }

    public function has(string $name): bool
    {
        return array_key_exists($name, $this->raw);
    }

    public function get(string $name): mixed
    {
        return $this->raw[$name] ?? null;
    }

    public function id(string $name = 'ID'): int
    {
        if (!$this->has($name)) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$name is required");
        }
        $value = self::positiveInt($this->raw[$name]);
        if ($value === null) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$name must be a positive integer");
        }
        return $value;
    }

    public function string(string $name, bool $required = true, string $default = ''): string
    {
        if (!isset($this->raw[$name])) {
            if ($required) {
                throw ApiError::of(ErrorCode::ARGUMENT, "$name is required");
            }
            return $default;
        }
        if (!is_string($this->raw[$name])) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$name must be a string");
        }
        return $this->raw[$name];
    }

    /** @return array<string, mixed> */
    public function object(string $name, bool $required = true): array
    {
        if (!$this->has($name)) {
            if ($required) {
                throw ApiError::of(ErrorCode::ARGUMENT, "$name is required");
            }
            return [];
        }
        return self::asObject($this->raw[$name], $name);
    }

    /**
     * A JSON object. An empty array counts: PHP cannot tell {} from [].
     * @return array<string, mixed>
     */
    public static function asObject(mixed $value, string $what): array
    {
        if (!is_array($value) || ($value !== [] && array_is_list($value))) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$what must be an object");
        }
        $out = [];
        foreach ($value as $key => $item) {
            $out[(string)$key] = $item;
        }
        return $out;
    }

    /** @return list<mixed> */
    public static function asList(mixed $value, string $what): array
    {
        if (!is_array($value) || !array_is_list($value)) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$what must be a list");
        }
        return $value;
    }

    /** An ID: a positive integer or its decimal digits. */
    public static function positiveInt(mixed $value): ?int
    {
        if (is_int($value)) {
            return $value > 0 ? $value : null;
        }
        if (is_string($value) && preg_match('/\A[0-9]+\z/', $value) === 1) {
            $number = (int)$value;
            return $number > 0 ? $number : null;
        }
        return null;
    }

    /** A Y/N flag: Y or N (any case) or a boolean. */
    public static function flag(mixed $value, string $what): bool
    {
        if (is_bool($value)) {
            return $value;
        }
        if (is_string($value) && in_array(strtoupper($value), ['Y', 'N'], true)) {
            return strtoupper($value) === 'Y';
        }
        throw ApiError::of(ErrorCode::ARGUMENT, "$what must be Y or N");
    }

    public static function yn(bool $value): string
    {
        return $value ? 'Y' : 'N';
    }

    /**
     * {language id: text}, as HL-block names and field labels are given.
     * @return array<string, string>
     */
    public static function langMap(mixed $value, string $what): array
    {
        $out = [];
        foreach (self::asObject($value, $what) as $lid => $text) {
            if (preg_match('/\A[a-z]{2}\z/', $lid) !== 1) {
                throw ApiError::of(ErrorCode::ARGUMENT, "$what: '$lid' is not a language id");
            }
            if (!is_string($text)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "$what.$lid must be a string");
            }
            $out[$lid] = $text;
        }
        return $out;
    }

    /**
     * HLBLOCK (an ID or a NAME) or HLBLOCK_ID (an ID): ['ID' => int] or ['NAME' => string].
     * @return array{ID?: int, NAME?: string}
     */
    public function blockRef(bool $idOnly = false): array
    {
        if (!$idOnly && $this->has('HLBLOCK')) {
            $raw = $this->raw['HLBLOCK'];
            if (is_string($raw) && $raw !== '' && preg_match('/\A[0-9]+\z/', $raw) !== 1) {
                return ['NAME' => $raw];
            }
            $id = self::positiveInt($raw);
            if ($id === null) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'HLBLOCK must be a block ID or NAME');
            }
            return ['ID' => $id];
        }
        if ($this->has('HLBLOCK_ID')) {
            return ['ID' => $this->id('HLBLOCK_ID')];
        }
        if ($idOnly && $this->has('HLBLOCK')) {
            return (new self(['HLBLOCK' => $this->raw['HLBLOCK']]))->blockRef();
        }
        throw ApiError::of(ErrorCode::ARGUMENT, 'HLBLOCK is required');
    }
}
