<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

/**
 * What CUserTypeEntity::Add()/Update() store as a field's SETTINGS: the type's prepareSettings()
 * of main 25.550 (Bitrix\Main\UserField\Types\*Type), typed as serialize() keeps them. The
 * MemorySite plays the Bitrix core with it; bitrix_client/fake/_bridge_settings.py holds the same.
 */
final class BitrixSettings
{
    /**
     * @param array<string, mixed> $given
     * @return array<string, mixed>
     */
    public static function prepare(string $type, array $given): array
    {
        $int = static fn (string $key, int $default = 0): int => (int)($given[$key] ?? $default);
        $size = static function () use ($int): int {
            $size = $int('SIZE');
            return $size <= 1 ? 20 : ($size > 255 ? 225 : $size);
        };
        $rows = static function () use ($int): int {
            $rows = $int('ROWS');
            return $rows <= 1 ? 1 : ($rows > 50 ? 50 : $rows);
        };
        $noDefault = ['TYPE' => 'NONE', 'VALUE' => ''];
        return match ($type) {
            'string' => [
                'SIZE' => $size(), 'ROWS' => $rows(), 'REGEXP' => (string)($given['REGEXP'] ?? ''),
                'MIN_LENGTH' => $int('MIN_LENGTH'), 'MAX_LENGTH' => $int('MAX_LENGTH'),
                'DEFAULT_VALUE' => $given['DEFAULT_VALUE'] ?? '',
            ],
            'string_formatted' => [
                'SIZE' => $size(), 'ROWS' => $rows(), 'REGEXP' => $given['REGEXP'] ?? null,
                'MIN_LENGTH' => $int('MIN_LENGTH'), 'MAX_LENGTH' => $int('MAX_LENGTH'),
                'DEFAULT_VALUE' => $given['DEFAULT_VALUE'] ?? null, 'PATTERN' => $given['PATTERN'] ?? null,
            ],
            'url' => [
                'POPUP' => ($given['POPUP'] ?? 'Y') === 'N' ? 'N' : 'Y', 'SIZE' => $size(),
                'MIN_LENGTH' => $int('MIN_LENGTH'), 'MAX_LENGTH' => $int('MAX_LENGTH'),
                'DEFAULT_VALUE' => $given['DEFAULT_VALUE'] ?? '', 'ROWS' => $int('ROWS', 1),
            ],
            'integer' => [
                'SIZE' => $size(), 'MIN_VALUE' => $int('MIN_VALUE'), 'MAX_VALUE' => $int('MAX_VALUE'),
                'DEFAULT_VALUE' => ($given['DEFAULT_VALUE'] ?? '') !== '' ? (int)$given['DEFAULT_VALUE'] : null,
            ],
            'double' => [
                'PRECISION' => max(0, min(12, $int('PRECISION'))), 'SIZE' => $size(),
                'MIN_VALUE' => (float)($given['MIN_VALUE'] ?? 0), 'MAX_VALUE' => (float)($given['MAX_VALUE'] ?? 0),
                'DEFAULT_VALUE' => is_numeric($given['DEFAULT_VALUE'] ?? null) ? (float)$given['DEFAULT_VALUE'] : null,
            ],
            'boolean' => [
                'DEFAULT_VALUE' => $int('DEFAULT_VALUE') === 1 ? 1 : 0,
                'DISPLAY' => in_array($given['DISPLAY'] ?? '', ['CHECKBOX', 'RADIO', 'DROPDOWN'], true) ? $given['DISPLAY'] : 'CHECKBOX',
                'LABEL' => array_values((array)($given['LABEL'] ?? ['', ''])),
                'LABEL_CHECKBOX' => (string)($given['LABEL_CHECKBOX'] ?? ''),
            ],
            'datetime' => [
                'DEFAULT_VALUE' => is_array($given['DEFAULT_VALUE'] ?? null) ? $given['DEFAULT_VALUE'] : $noDefault,
                'USE_SECOND' => ($given['USE_SECOND'] ?? 'Y') === 'N' ? 'N' : 'Y',
                'USE_TIMEZONE' => ($given['USE_TIMEZONE'] ?? 'N') === 'Y' ? 'Y' : 'N',
            ],
            'date' => ['DEFAULT_VALUE' => is_array($given['DEFAULT_VALUE'] ?? null) ? $given['DEFAULT_VALUE'] : $noDefault],
            'enumeration' => [
                'DISPLAY' => in_array($given['DISPLAY'] ?? '', ['CHECKBOX', 'UI', 'DIALOG'], true) ? $given['DISPLAY'] : 'LIST',
                'LIST_HEIGHT' => max(1, $int('LIST_HEIGHT')),
                'CAPTION_NO_VALUE' => trim((string)($given['CAPTION_NO_VALUE'] ?? '')),
                'SHOW_NO_VALUE' => ($given['SHOW_NO_VALUE'] ?? 'Y') === 'N' ? 'N' : 'Y',
            ],
            'file' => [
                'SIZE' => $size(), 'LIST_WIDTH' => $int('LIST_WIDTH'), 'LIST_HEIGHT' => $int('LIST_HEIGHT'),
                'MAX_SHOW_SIZE' => $int('MAX_SHOW_SIZE'), 'MAX_ALLOWED_SIZE' => $int('MAX_ALLOWED_SIZE'),
                'EXTENSIONS' => self::extensions($given['EXTENSIONS'] ?? []),
                'TARGET_BLANK' => ($given['TARGET_BLANK'] ?? 'Y') === 'N' ? 'N' : 'Y',
            ],
            default => $given,
        };
    }

    /** @return array<string, true> */
    private static function extensions(mixed $raw): array
    {
        $out = [];
        $items = is_array($raw) ? $raw : explode(',', (string)$raw);
        foreach ($items as $key => $extension) {
            $extension = trim($extension === true ? (string)$key : (string)$extension);
            if ($extension !== '') {
                $out[$extension] = true;
            }
        }
        return $out;
    }

    /**
     * The value Bitrix gives a field an add does not name: the enumeration's DEF item, the
     * boolean's DEFAULT_VALUE (0 without one), the string's DEFAULT_VALUE or "".
     * @param array<string, mixed> $field
     */
    public static function defaultValue(array $field): mixed
    {
        if ($field['MULTIPLE']) {
            return [];
        }
        $settings = $field['SETTINGS'] ?? [];
        return match ((string)$field['USER_TYPE_ID']) {
            'boolean' => (int)($settings['DEFAULT_VALUE'] ?? 0) === 1 ? 1 : 0,
            'enumeration' => self::defaultItem($field),
            'string', 'url', 'string_formatted' => (string)($settings['DEFAULT_VALUE'] ?? ''),
            'integer', 'double' => $settings['DEFAULT_VALUE'] ?? null,
            default => null,
        };
    }

    /** @param array<string, mixed> $field */
    private static function defaultItem(array $field): ?int
    {
        foreach ($field['LIST'] ?? [] as $item) {
            if ($item['DEF']) {
                return (int)$item['ID'];
            }
        }
        return null;
    }

    /**
     * A written value as Bitrix stores it: a boolean is 0 or 1 (null is 0), an emptied
     * enumeration or file is 0.
     * @param array<string, mixed> $field
     */
    public static function stored(array $field, mixed $value): mixed
    {
        if ($field['MULTIPLE']) {
            return is_array($value) ? array_values($value) : [];
        }
        return match ((string)$field['USER_TYPE_ID']) {
            'boolean' => $value ? 1 : 0,
            'enumeration', 'file' => $value ?? 0,
            default => $value,
        };
    }
}
