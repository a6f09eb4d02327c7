<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Dates and amounts as the cabinet prints them, per page language: ru "24.11.2026", "1 500,50 ₽";
 * en "2026-11-24", "1,500.50 RUB". Templates only print these strings (escaped).
 */
final class CabinetFormat
{
    private const SYMBOLS = ['RUB' => '₽', 'RUR' => '₽'];

    public static function date(\DateTimeInterface|string|null $value, string $lang): string
    {
        if ($value === null || $value === '') {
            return '';
        }
        $moment = is_string($value) ? \DateTimeImmutable::createFromFormat('!Y-m-d', $value) : $value;
        if ($moment === false) {
            return (string)$value;
        }
        return $moment->format($lang === 'ru' ? 'd.m.Y' : 'Y-m-d');
    }

    public static function dateTime(?\DateTimeInterface $value, string $lang): string
    {
        return $value === null ? '' : $value->format($lang === 'ru' ? 'd.m.Y H:i' : 'Y-m-d H:i');
    }

    public static function money(float|int|null $amount, ?string $currency, string $lang): string
    {
        if ($amount === null) {
            return '';
        }
        $currency = strtoupper((string)$currency);
        if ($lang === 'ru') {
            $text = number_format((float)$amount, 2, ',', "\u{00A0}");
            return $text . ($currency === '' ? '' : "\u{00A0}" . (self::SYMBOLS[$currency] ?? $currency));
        }
        $text = number_format((float)$amount, 2, '.', ',');
        return $text . ($currency === '' ? '' : ' ' . $currency);
    }

    public static function quantity(float|int $value, string $lang): string
    {
        $text = rtrim(rtrim(number_format((float)$value, 3, '.', ''), '0'), '.');
        return $lang === 'ru' ? str_replace('.', ',', $text) : $text;
    }
}
