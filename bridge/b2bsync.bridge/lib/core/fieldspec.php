<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * User field definitions: the FIELD parameter checked and normalized, merged into the current
 * definition on update, and shown in answers.
 *
 * Normalized field: ID, HLBLOCK_ID, FIELD_NAME, USER_TYPE_ID, MULTIPLE, MANDATORY, SORT, XML_ID,
 * SHOW_FILTER, SHOW_IN_LIST, EDIT_IN_LIST, IS_SEARCHABLE (bools except SORT/XML_ID/SHOW_FILTER),
 * SETTINGS (array), LABELS (kind => [lid => text]) and LIST (enumeration items: ID (null for a new
 * one), VALUE, XML_ID, SORT, DEF (bool)).
 *
 * Why labels are merged here: CUserTypeEntity::Update() deletes every b_user_field_lang row of
 * the field as soon as any label is sent, so the bridge always sends the complete merged set.
 */
final class FieldSpec
{
    public const LABELS = ['EDIT_FORM_LABEL', 'LIST_COLUMN_LABEL', 'LIST_FILTER_LABEL', 'ERROR_MESSAGE', 'HELP_MESSAGE'];
    public const FLAGS = ['MANDATORY', 'SHOW_IN_LIST', 'EDIT_IN_LIST', 'IS_SEARCHABLE'];
    public const IMMUTABLE = ['FIELD_NAME', 'USER_TYPE_ID', 'MULTIPLE'];
    private const OTHER = ['SORT', 'XML_ID', 'SHOW_FILTER', 'SETTINGS', 'LIST'];
    private const IGNORED = ['ID', 'ENTITY_ID'];
    /** Decimal places of a double field created without SETTINGS.PRECISION (money: kopecks). */
    public const DEFAULT_PRECISION = 2;

    /**
     * The FIELD object with upper-cased keys; unknown keys are an error.
     * @return array<string, mixed>
     */
    public static function spec(mixed $raw): array
    {
        $spec = Params::upperKeys(Params::asObject($raw, 'FIELD'));
        foreach (array_keys($spec) as $key) {
            if (!in_array($key, [...self::LABELS, ...self::FLAGS, ...self::IMMUTABLE, ...self::OTHER, ...self::IGNORED], true)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "FIELD: unknown key $key");
            }
        }
        return $spec;
    }

    /**
     * A new field's definition (without ID and HLBLOCK_ID); the duplicate check is the caller's.
     * @param array<string, mixed> $spec from spec()
     * @param callable(string): bool $typeExists
     * @return array<string, mixed>
     */
    public static function forAdd(array $spec, callable $typeExists): array
    {
        $name = $spec['FIELD_NAME'] ?? null;
        $type = $spec['USER_TYPE_ID'] ?? null;
        if (!is_string($name) || !is_string($type)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'FIELD needs FIELD_NAME and USER_TYPE_ID');
        }
        NameRules::fieldName($name);
        if (!$typeExists($type)) {
            throw ApiError::of(ErrorCode::FIELD_TYPE, "$type is not a user field type of the site");
        }
        $field = [
            'ID' => null,
            'HLBLOCK_ID' => null,
            'FIELD_NAME' => $name,
            'USER_TYPE_ID' => $type,
            'MULTIPLE' => array_key_exists('MULTIPLE', $spec) ? Params::flag($spec['MULTIPLE'], 'MULTIPLE') : false,
            'MANDATORY' => false,
            'SORT' => 100,
            'XML_ID' => null,
            'SHOW_FILTER' => 'N',
            'SHOW_IN_LIST' => true,
            'EDIT_IN_LIST' => true,
            'IS_SEARCHABLE' => false,
            'SETTINGS' => [],
            'LABELS' => [],
            'LIST' => [],
        ];
        return self::withPrecision(self::merge($field, $spec), self::DEFAULT_PRECISION);
    }

    /**
     * A double field keeps a PRECISION: without one Bitrix rounds every value to a whole number
     * (1500.5 is stored 1501), and SETTINGS sent on update replace the stored set.
     * @param array<string, mixed> $field
     * @return array<string, mixed>
     */
    private static function withPrecision(array $field, int $precision): array
    {
        if ($field['USER_TYPE_ID'] === 'double' && !array_key_exists('PRECISION', $field['SETTINGS'])) {
            $field['SETTINGS']['PRECISION'] = $precision;
        }
        return $field;
    }

    /**
     * The field after an update: immutable keys may be sent only with their current values.
     * @param array<string, mixed> $field
     * @param array<string, mixed> $spec
     * @return array<string, mixed>
     */
    public static function forUpdate(array $field, array $spec): array
    {
        foreach (self::IMMUTABLE as $key) {
            if (!array_key_exists($key, $spec)) {
                continue;
            }
            $value = $key === 'MULTIPLE' ? Params::flag($spec[$key], $key) : $spec[$key];
            if ($value !== $field[$key]) {
                throw ApiError::of(ErrorCode::FIELD_IMMUTABLE, "$key of a field never changes");
            }
        }
        $current = (int)($field['SETTINGS']['PRECISION'] ?? self::DEFAULT_PRECISION);
        return self::withPrecision(self::merge($field, $spec), $current);
    }

    /**
     * @param array<string, mixed> $field
     * @param array<string, mixed> $spec
     * @return array<string, mixed>
     */
    private static function merge(array $field, array $spec): array
    {
        $flags = [];
        foreach (self::FLAGS as $key) {
            if (array_key_exists($key, $spec)) {
                $flags[$key] = Params::flag($spec[$key], $key);
            }
        }
        $sort = array_key_exists('SORT', $spec) ? self::int($spec['SORT'], 'SORT') : $field['SORT'];
        $xmlId = array_key_exists('XML_ID', $spec) ? $spec['XML_ID'] : $field['XML_ID'];
        if ($xmlId !== null && !is_string($xmlId)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'XML_ID must be a string');
        }
        $showFilter = array_key_exists('SHOW_FILTER', $spec) ? $spec['SHOW_FILTER'] : $field['SHOW_FILTER'];
        if (!in_array($showFilter, ['N', 'I', 'E', 'S'], true)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'SHOW_FILTER must be N, I, E or S');
        }
        $settings = array_key_exists('SETTINGS', $spec) ? Params::asObject($spec['SETTINGS'], 'SETTINGS') : $field['SETTINGS'];
        $labels = $field['LABELS'];
        foreach (self::LABELS as $key) {
            if (array_key_exists($key, $spec)) {
                $labels[$key] = array_merge($labels[$key] ?? [], Params::langMap($spec[$key], $key));
            }
        }
        $items = array_key_exists('LIST', $spec) ? self::mergeList($field, $spec['LIST']) : $field['LIST'];
        return array_merge($field, $flags, [
            'SORT' => $sort,
            'XML_ID' => $xmlId,
            'SHOW_FILTER' => $showFilter,
            'SETTINGS' => $settings,
            'LABELS' => $labels,
            'LIST' => $items,
        ]);
    }

    private static function int(mixed $value, string $what): int
    {
        try {
            return ValueCodec::toInt($value);
        } catch (BadValue) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$what must be an integer");
        }
    }

    /**
     * Enumeration items after merging LIST by XML_ID: changed ones updated, new ones added (ID null),
     * the others kept.
     * @param array<string, mixed> $field
     * @return list<array<string, mixed>>
     */
    public static function mergeList(array $field, mixed $raw): array
    {
        if ($field['USER_TYPE_ID'] !== 'enumeration') {
            throw ApiError::of(ErrorCode::ARGUMENT, 'LIST is only for enumeration fields');
        }
        $merged = [];
        foreach ($field['LIST'] as $item) {
            $merged[$item['XML_ID']] = $item;
        }
        $seen = [];
        foreach (Params::asList($raw, 'LIST') as $entry) {
            $spec = Params::upperKeys(Params::asObject($entry, 'LIST item'));
            $xmlId = $spec['XML_ID'] ?? null;
            if (!is_string($xmlId) || $xmlId === '' || isset($seen[$xmlId])) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'each LIST item needs its own XML_ID');
            }
            $seen[$xmlId] = true;
            $value = $spec['VALUE'] ?? null;
            if (array_key_exists('VALUE', $spec) && (!is_string($value) || $value === '')) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'LIST item VALUE must be a non-empty string');
            }
            if (!isset($merged[$xmlId])) {
                if (!is_string($value)) {
                    throw ApiError::of(ErrorCode::ARGUMENT, 'a new LIST item needs a VALUE');
                }
                $merged[$xmlId] = ['ID' => null, 'VALUE' => $value, 'XML_ID' => $xmlId, 'SORT' => 500, 'DEF' => false];
            } elseif (is_string($value)) {
                $merged[$xmlId]['VALUE'] = $value;
            }
            if (array_key_exists('SORT', $spec)) {
                $merged[$xmlId]['SORT'] = self::int($spec['SORT'], 'LIST SORT');
            }
            if (array_key_exists('DEF', $spec)) {
                $merged[$xmlId]['DEF'] = Params::flag($spec['DEF'], 'LIST DEF');
            }
        }
        return array_values($merged);
    }

    /**
     * @param array<string, mixed> $field
     * @return array<string, mixed>
     */
    public static function answer(array $field): array
    {
        $out = [
            'ID' => $field['ID'],
            'ENTITY_ID' => 'HLBLOCK_' . $field['HLBLOCK_ID'],
            'FIELD_NAME' => $field['FIELD_NAME'],
            'USER_TYPE_ID' => $field['USER_TYPE_ID'],
            'XML_ID' => $field['XML_ID'],
            'SORT' => $field['SORT'],
            'MULTIPLE' => Params::yn($field['MULTIPLE']),
            'MANDATORY' => Params::yn($field['MANDATORY']),
            'SHOW_FILTER' => $field['SHOW_FILTER'],
            'SHOW_IN_LIST' => Params::yn($field['SHOW_IN_LIST']),
            'EDIT_IN_LIST' => Params::yn($field['EDIT_IN_LIST']),
            'IS_SEARCHABLE' => Params::yn($field['IS_SEARCHABLE']),
            'SETTINGS' => $field['SETTINGS'],
        ];
        foreach (self::LABELS as $key) {
            $out[$key] = $field['LABELS'][$key] ?? [];
        }
        if ($field['USER_TYPE_ID'] === 'enumeration') {
            $items = $field['LIST'];
            usort($items, static fn (array $a, array $b): int => [$a['SORT'], $a['ID']] <=> [$b['SORT'], $b['ID']]);
            $out['LIST'] = array_map(static fn (array $i): array => [
                'ID' => $i['ID'], 'VALUE' => $i['VALUE'], 'XML_ID' => $i['XML_ID'], 'SORT' => $i['SORT'], 'DEF' => Params::yn($i['DEF']),
            ], $items);
        }
        return $out;
    }

    /**
     * Columns of the field list's filter.
     * @return array<string, string>
     */
    public static function listColumns(): array
    {
        return ['ID' => 'integer', 'FIELD_NAME' => 'string', 'USER_TYPE_ID' => 'string', 'SORT' => 'integer', 'XML_ID' => 'string'];
    }
}
