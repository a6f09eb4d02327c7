<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * b2bsync.option.get / .set — the module options b2bsync itself writes, and only those: each name
 * has a validator, so a token with the b2bsync scope cannot touch the module's other settings
 * (the link secret, its base URL): "roles", the cabinet's role table (CabinetAccess), "guard",
 * the order guard's settings (GuardConfig), and "approval_statuses", the statuses
 * b2bsync.order.status.set may set (ApprovalStatuses).
 * Values travel as JSON objects and are stored as JSON text; re-sending an equal value (object
 * keys in any order) answers "unchanged" and writes nothing. Contract: 70_options.json.
 *
 * VALUE is the value itself (a JSON body) or its JSON text, which batch commands and form-encoded
 * calls must use: PHP's form decoding turns numbers into strings and drops empty lists.
 */
final class OptionApi
{
    public const ROLES = 'roles';

    /** name => validator (throws BadValue) */
    private const OPTIONS = [
        self::ROLES => [CabinetAccess::class, 'parse'],
        GuardConfig::OPTION => [GuardConfig::class, 'parse'],
        ApprovalStatuses::OPTION => [ApprovalStatuses::class, 'parse'],
    ];

    public function __construct(private readonly OptionPort $options)
    {
    }

    private function name(Params $params): string
    {
        $name = $params->string('NAME');
        if (!isset(self::OPTIONS[$name])) {
            throw ApiError::of(ErrorCode::ARGUMENT, "NAME: no option '$name' (known: " . implode(', ', array_keys(self::OPTIONS)) . ')');
        }
        return $name;
    }

    public function get(Params $params): mixed
    {
        $stored = $this->options->option($this->name($params));
        return $stored === '' ? null : json_decode($stored, true, 64, JSON_THROW_ON_ERROR);
    }

    /** @return array{ACTION: string} */
    public function set(Params $params): array
    {
        $name = $this->name($params);
        if (!$params->has('VALUE')) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'VALUE is required');
        }
        $value = $params->get('VALUE');
        if (is_string($value)) {
            try {
                $value = json_decode($value, true, 64, JSON_THROW_ON_ERROR);
            } catch (\JsonException) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'VALUE: not a JSON text');
            }
        }
        try {
            (self::OPTIONS[$name])($value);
        } catch (BadValue $e) {
            throw ApiError::of(ErrorCode::ARGUMENT, $e->getMessage());
        }
        $before = $this->options->option($name);
        if ($before !== '' && self::canonical(json_decode($before, true, 64, JSON_THROW_ON_ERROR)) === self::canonical($value)) {
            return ['ACTION' => 'unchanged'];
        }
        $this->options->setOption($name, json_encode($value, JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
        return ['ACTION' => $before === '' ? 'added' : 'updated'];
    }

    /** JSON with object keys sorted at every level. */
    public static function canonical(mixed $value): string
    {
        return json_encode(self::sorted($value), JSON_THROW_ON_ERROR | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);
    }

    private static function sorted(mixed $value): mixed
    {
        if (!is_array($value)) {
            return $value;
        }
        $value = array_map([self::class, 'sorted'], $value);
        if (!array_is_list($value)) {
            ksort($value, SORT_STRING);
        }
        return $value;
    }
}
