<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The orders page's filter, read from the query string once: status codes, a date range (the
 * "to" day included), the manager, who placed it, an order number (prefix) and an article
 * (exact, case-insensitive — the collation's). Dates are read only as YYYY-MM-DD: a date that does
 * not parse is an error shown on the page, never a dropped filter that would list every order.
 *
 * $articleCodes are the basket property codes that hold an article (besides the product's
 * XML_ID); the component parameter ARTICLE_PROPERTIES sets them.
 */
final class OrderQuery
{
    public const MAX_TEXT = 100;

    /**
     * @param list<string> $statuses
     * @param list<string> $articleCodes
     */
    public function __construct(
        public readonly array $statuses = [],
        public readonly ?\DateTimeImmutable $from = null,
        public readonly ?\DateTimeImmutable $to = null,
        public readonly ?int $managerId = null,
        public readonly ?int $authorId = null,
        public readonly ?string $number = null,
        public readonly ?string $article = null,
        public readonly array $articleCodes = [],
    ) {
    }

    /**
     * @param array<string, mixed> $get the query string (status[], from, to, manager, author, number, article)
     * @param list<string> $articleCodes
     * @param list<string> $errors filled with the names of the fields that could not be read
     */
    public static function fromRequest(array $get, \DateTimeZone $tz, array $articleCodes, array &$errors): self
    {
        $errors = [];
        $statuses = [];
        foreach ((array)($get['status'] ?? []) as $code) {
            if (is_string($code) && preg_match('/\A[A-Za-z0-9]{1,2}\z/', $code) === 1) {
                $statuses[] = strtoupper($code);
            } elseif ($code !== '') {
                $errors[] = 'status';
            }
        }
        $from = self::day($get['from'] ?? null, $tz, 'from', $errors);
        $to = self::day($get['to'] ?? null, $tz, 'to', $errors);
        $to = $to?->modify('+1 day');
        if ($from !== null && $to !== null && $from >= $to) {
            $errors[] = 'to';
        }
        return new self(
            array_values(array_unique($statuses)),
            $from,
            $to,
            self::id($get['manager'] ?? null, 'manager', $errors),
            self::id($get['author'] ?? null, 'author', $errors),
            self::text($get['number'] ?? null, 'number', $errors),
            self::text($get['article'] ?? null, 'article', $errors),
            array_values(array_map('strtoupper', $articleCodes)),
        );
    }

    /** @param list<string> $errors */
    private static function day(mixed $raw, \DateTimeZone $tz, string $name, array &$errors): ?\DateTimeImmutable
    {
        if ($raw === null || $raw === '') {
            return null;
        }
        if (!is_string($raw) || preg_match('/\A\d{4}-\d{2}-\d{2}\z/', $raw) !== 1) {
            $errors[] = $name;
            return null;
        }
        $day = \DateTimeImmutable::createFromFormat('!Y-m-d', $raw, $tz);
        if ($day === false || $day->format('Y-m-d') !== $raw) {
            $errors[] = $name;
            return null;
        }
        return $day;
    }

    /** @param list<string> $errors */
    private static function id(mixed $raw, string $name, array &$errors): ?int
    {
        if ($raw === null || $raw === '') {
            return null;
        }
        $id = Params::positiveInt($raw);
        if ($id === null) {
            $errors[] = $name;
        }
        return $id;
    }

    /** @param list<string> $errors */
    private static function text(mixed $raw, string $name, array &$errors): ?string
    {
        if ($raw === null) {
            return null;
        }
        if (!is_string($raw) || mb_strlen($raw) > self::MAX_TEXT) {
            $errors[] = $name;
            return null;
        }
        $text = trim($raw);
        return $text === '' ? null : $text;
    }

    public function isEmpty(): bool
    {
        return $this->statuses === [] && $this->from === null && $this->to === null && $this->managerId === null
            && $this->authorId === null && $this->number === null && $this->article === null;
    }

    /** Whether $order (an OrderPort row, with ARTICLES: list of the basket's articles) matches; the in-memory twin of the adapter's SQL. */
    public function matches(array $order): bool
    {
        if ($this->statuses !== [] && !in_array($order['STATUS_ID'], $this->statuses, true)) {
            return false;
        }
        if ($this->from !== null && $order['DATE_INSERT'] < $this->from) {
            return false;
        }
        if ($this->to !== null && $order['DATE_INSERT'] >= $this->to) {
            return false;
        }
        if ($this->managerId !== null && $order['RESPONSIBLE_ID'] !== $this->managerId) {
            return false;
        }
        if ($this->authorId !== null && $order['USER_ID'] !== $this->authorId) {
            return false;
        }
        if ($this->number !== null && !str_starts_with(mb_strtolower((string)$order['ACCOUNT_NUMBER']), mb_strtolower($this->number))) {
            return false;
        }
        if ($this->article !== null) {
            $wanted = mb_strtolower($this->article);
            foreach ($order['ARTICLES'] as $article) {
                if (mb_strtolower($article) === $wanted) {
                    return true;
                }
            }
            return false;
        }
        return true;
    }

    /** @return array<string, mixed> the filter as query parameters, for paging links */
    public function toQuery(): array
    {
        $out = [];
        if ($this->statuses !== []) {
            $out['status'] = $this->statuses;
        }
        if ($this->from !== null) {
            $out['from'] = $this->from->format('Y-m-d');
        }
        if ($this->to !== null) {
            $out['to'] = $this->to->modify('-1 day')->format('Y-m-d');
        }
        foreach (['manager' => $this->managerId, 'author' => $this->authorId, 'number' => $this->number, 'article' => $this->article] as $key => $value) {
            if ($value !== null) {
                $out[$key] = (string)$value;
            }
        }
        return $out;
    }
}
