<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Values of HL user fields: what a write accepts, the internal form, what an answer shows
 * (the table "Row" in bridge/contract/README.md).
 *
 * Internal forms: string; int (integer, enumeration item, file ID, boolean 0/1); float; 'Y-m-d'
 * string for a date; \DateTimeImmutable in the site's zone (seconds) for a date-time; null; a list
 * for a multiple field. While a write is prepared a file value may also be FileUpload/FileRemove.
 *
 * A field here is the normalized array of FieldSpec: FIELD_NAME, USER_TYPE_ID, MULTIPLE (bool),
 * LIST (enumeration items with ID).
 */
final class ValueCodec
{
    public const STRING_TYPES = ['string', 'string_formatted', 'url'];
    public const TYPES = ['string', 'string_formatted', 'url', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'file'];

    private const ISO = '/\A([0-9]{4})-([0-9]{2})-([0-9]{2})'
        . '(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]+)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?\z/';
    private const BASE64 = '/\A(?:[A-Za-z0-9+\/]{4})*(?:[A-Za-z0-9+\/]{2}==|[A-Za-z0-9+\/]{3}=)?\z/';

    public static function isEmpty(mixed $value): bool
    {
        return $value === null || $value === '' || $value === [];
    }

    /**
     * A written value in its internal form. A boolean is never empty: null and "" are 0, as
     * Bitrix stores them; a double is rounded to the field's PRECISION, as Bitrix rounds it.
     * @param array<string, mixed> $field
     */
    public static function convert(array $field, mixed $raw, \DateTimeZone $tz): mixed
    {
        if ($field['MULTIPLE']) {
            $values = is_array($raw) && array_is_list($raw) ? $raw : [$raw];
            $out = [];
            foreach ($values as $item) {
                if (!self::isEmpty($item)) {
                    $out[] = self::convertOne($field, $item, $tz);
                }
            }
            return $out;
        }
        if (self::isEmpty($raw)) {
            return $field['USER_TYPE_ID'] === 'boolean' ? 0 : null;
        }
        return self::convertOne($field, $raw, $tz);
    }

    /**
     * A stored value in the internal form. A real site keeps "" in a string field that was
     * never written, 0 in an emptied enumeration or file field (every link-mode document's
     * UF_FILE_ID), and 0 or 1 in a boolean: all of them read back as "empty" except the boolean,
     * which is never NULL.
     * @param array<string, mixed> $field
     */
    public static function fromStore(array $field, mixed $value): mixed
    {
        $type = (string)$field['USER_TYPE_ID'];
        if ($field['MULTIPLE']) {
            $out = [];
            foreach (is_array($value) ? $value : [] as $item) {
                $item = self::storedOne($type, $item);
                if ($item !== null) {
                    $out[] = $item;
                }
            }
            return $out;
        }
        return self::storedOne($type, $value);
    }

    private static function storedOne(string $type, mixed $value): mixed
    {
        if ($type === 'boolean') {
            return $value ? 1 : 0;
        }
        if ($value === null || $value === '') {
            return null;
        }
        if (($type === 'enumeration' || $type === 'file') && is_numeric($value) && (int)$value === 0) {
            return null;
        }
        return $value;
    }

    /**
     * Bitrix's rounding of a double (DoubleType::onBeforeSave: round() to SETTINGS.PRECISION,
     * half away from zero); a field without SETTINGS is left as it is.
     * @param array<string, mixed> $field
     */
    public static function rounded(array $field, float $value): float
    {
        if (!isset($field['SETTINGS']) || !is_array($field['SETTINGS'])) {
            return $value;
        }
        return round($value, (int)($field['SETTINGS']['PRECISION'] ?? 0));
    }

    /** @param array<string, mixed> $field */
    public static function convertOne(array $field, mixed $raw, \DateTimeZone $tz): mixed
    {
        $type = (string)$field['USER_TYPE_ID'];
        if ($type === 'enumeration') {
            $itemId = self::toInt($raw);
            foreach ($field['LIST'] ?? [] as $item) {
                if ((int)$item['ID'] === $itemId) {
                    return $itemId;
                }
            }
            throw new BadValue("$itemId is not an item of the field's LIST");
        }
        if ($type === 'file') {
            return self::toFile($raw);
        }
        if ($type === 'double') {
            return self::rounded($field, self::toFloat($raw));
        }
        return self::toScalar($type, $raw, $tz);
    }

    public static function toScalar(string $type, mixed $raw, \DateTimeZone $tz): mixed
    {
        if (in_array($type, self::STRING_TYPES, true)) {
            if (is_string($raw)) {
                return $raw;
            }
            if (is_int($raw)) {
                return (string)$raw;
            }
            throw new BadValue('expected a string');
        }
        return match ($type) {
            'integer', 'enumeration', 'file' => self::toInt($raw),
            'double' => self::toFloat($raw),
            'boolean' => self::toBool($raw),
            'date' => self::toDate($raw, $tz),
            'datetime' => self::toDateTime($raw, $tz),
            default => throw new BadValue("unknown type $type"),
        };
    }

    public static function toInt(mixed $raw): int
    {
        if (is_int($raw)) {
            return $raw;
        }
        if (is_float($raw) && is_finite($raw) && floor($raw) === $raw) {
            return (int)$raw;
        }
        if (is_string($raw) && preg_match('/\A-?[0-9]+\z/', $raw) === 1) {
            return (int)$raw;
        }
        throw new BadValue('expected an integer');
    }

    public static function toFloat(mixed $raw): float
    {
        if ((is_int($raw) || is_float($raw)) && is_finite((float)$raw)) {
            return (float)$raw;
        }
        if (is_string($raw) && preg_match('/\A-?[0-9]+(?:\.[0-9]+)?\z/', $raw) === 1) {
            $value = (float)$raw;
            if (is_finite($value)) {
                return $value; // digits beyond a double's range would be stored as INF
            }
        }
        throw new BadValue('expected a number');
    }

    public static function toBool(mixed $raw): int
    {
        if (is_bool($raw)) {
            return $raw ? 1 : 0;
        }
        if ($raw === 0 || $raw === 1) {
            return $raw;
        }
        if (is_string($raw)) {
            $lowered = strtolower($raw);
            if (in_array($lowered, ['1', 'y', 'true'], true)) {
                return 1;
            }
            if (in_array($lowered, ['0', 'n', 'false'], true)) {
                return 0;
            }
        }
        throw new BadValue('expected a boolean (Y/N, 1/0, true/false)');
    }

    /**
     * An ISO 8601 date or date-time in $tz, and whether a time was given; null when unreadable.
     * @return array{0: \DateTimeImmutable, 1: bool}|null
     */
    public static function parseIso(string $text, \DateTimeZone $tz): ?array
    {
        if (preg_match(self::ISO, $text, $m) !== 1) {
            return null;
        }
        [$year, $month, $day] = [(int)$m[1], (int)$m[2], (int)$m[3]];
        $hasTime = isset($m[4]) && $m[4] !== '';
        [$hour, $minute, $second] = [(int)($m[4] ?? 0), (int)($m[5] ?? 0), (int)($m[6] ?? 0)];
        if (!checkdate($month, $day, $year) || $hour > 23 || $minute > 59 || $second > 59) {
            return null;
        }
        $zone = $tz;
        $offset = $m[7] ?? '';
        if ($offset !== '') {
            $zone = self::offsetZone($offset);
            if ($zone === null) {
                return null;
            }
        }
        $moment = (new \DateTimeImmutable('now', $zone))
            ->setDate($year, $month, $day)
            ->setTime($hour, $minute, $second);
        return [$moment->setTimezone($tz), $hasTime];
    }

    private static function offsetZone(string $text): ?\DateTimeZone
    {
        if ($text === 'Z') {
            return new \DateTimeZone('UTC');
        }
        $digits = str_replace(':', '', substr($text, 1));
        [$hours, $minutes] = [(int)substr($digits, 0, 2), (int)substr($digits, 2)];
        if ($hours > 23 || $minutes > 59) {
            return null;
        }
        return new \DateTimeZone(sprintf('%s%02d:%02d', $text[0], $hours, $minutes));
    }

    public static function toDateTime(mixed $raw, \DateTimeZone $tz): \DateTimeImmutable
    {
        $parsed = is_string($raw) ? self::parseIso($raw, $tz) : null;
        if ($parsed === null) {
            throw new BadValue('expected an ISO 8601 date-time');
        }
        return $parsed[0];
    }

    public static function toDate(mixed $raw, \DateTimeZone $tz): string
    {
        $parsed = is_string($raw) ? self::parseIso($raw, $tz) : null;
        if ($parsed === null) {
            throw new BadValue('expected an ISO 8601 date (YYYY-MM-DD)');
        }
        return $parsed[0]->format('Y-m-d');
    }

    public static function toFile(mixed $raw): FileUpload|FileRemove|int
    {
        if (is_array($raw) && !array_is_list($raw)) {
            if (array_key_exists('fileData', $raw)) {
                return self::upload($raw['fileData']);
            }
            if (strtoupper((string)($raw['remove'] ?? '')) === 'Y') {
                return new FileRemove(self::toInt($raw['id'] ?? null));
            }
            throw new BadValue('expected {"fileData": [name, base64]} or {"id": N, "remove": "Y"}');
        }
        try {
            return self::toInt($raw);
        } catch (BadValue) {
            throw new BadValue('expected {"fileData": [name, base64]}, a file ID or a removal');
        }
    }

    private static function upload(mixed $data): FileUpload
    {
        if (!is_array($data) || !array_is_list($data) || count($data) !== 2 || !is_string($data[0]) || !is_string($data[1])) {
            throw new BadValue('fileData must be [name, base64]');
        }
        [$name, $encoded] = $data;
        if (trim($name) === '') {
            throw new BadValue('fileData needs a file name');
        }
        if ($encoded === '' || preg_match(self::BASE64, $encoded) !== 1) {
            throw new BadValue('fileData content is not padded standard base64');
        }
        $content = base64_decode($encoded, true);
        if ($content === false) {
            throw new BadValue('fileData content is not base64');
        }
        return new FileUpload($name, $content, $encoded);
    }

    /** @param array<string, mixed> $field */
    public static function answer(array $field, mixed $value, \DateTimeZone $tz): mixed
    {
        $type = (string)$field['USER_TYPE_ID'];
        if ($field['MULTIPLE']) {
            $out = [];
            foreach (is_array($value) ? $value : [] as $item) {
                $out[] = self::answerOne($type, $item, $tz);
            }
            return $out;
        }
        return self::answerOne($type, $value, $tz);
    }

    public static function answerOne(string $type, mixed $value, \DateTimeZone $tz): mixed
    {
        if ($value === null) {
            return null;
        }
        return match ($type) {
            'datetime' => $value instanceof \DateTimeInterface
                ? \DateTimeImmutable::createFromInterface($value)->setTimezone($tz)->format('Y-m-d\TH:i:sP')
                : (string)$value,
            'date' => $value instanceof \DateTimeInterface ? $value->format('Y-m-d') : (string)$value,
            'integer', 'enumeration', 'file', 'boolean' => (int)$value,
            'double' => (float)$value,
            default => (string)$value,
        };
    }

    /**
     * Would writing $wanted leave $stored as it is? An upload equals the stored file with the
     * same name and bytes ($file: file ID → ['name' => …, 'content' => …] or null).
     *
     * @param array<string, mixed> $field
     * @param callable(int): ?array{name: string, content: string} $file
     */
    public static function same(array $field, mixed $wanted, mixed $stored, callable $file): bool
    {
        if ($field['MULTIPLE']) {
            $wantedList = is_array($wanted) ? array_values($wanted) : [];
            $storedList = is_array($stored) ? array_values($stored) : [];
            if (count($wantedList) !== count($storedList)) {
                return false;
            }
            foreach ($wantedList as $i => $item) {
                if (!self::sameOne($item, $storedList[$i], $file)) {
                    return false;
                }
            }
            return true;
        }
        return self::sameOne($wanted, $stored, $file);
    }

    /** @param callable(int): ?array{name: string, content: string} $file */
    private static function sameOne(mixed $wanted, mixed $stored, callable $file): bool
    {
        if ($wanted instanceof FileUpload) {
            $info = is_int($stored) ? $file($stored) : null;
            return $info !== null && $info['name'] === $wanted->name && $info['content'] === $wanted->content;
        }
        if ($wanted instanceof \DateTimeInterface || $stored instanceof \DateTimeInterface) {
            return $wanted instanceof \DateTimeInterface && $stored instanceof \DateTimeInterface
                && $wanted->getTimestamp() === $stored->getTimestamp();
        }
        if (is_float($wanted) || is_float($stored)) {
            return (is_int($wanted) || is_float($wanted)) && (is_int($stored) || is_float($stored))
                && (float)$wanted === (float)$stored;
        }
        return $wanted === $stored;
    }
}
