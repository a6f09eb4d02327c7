<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The order statuses of the approval workflow, as `b2bsync schema apply` stores them in the
 * module option "approval_statuses": {"pending", "approved", "rejected", "next"} — the first
 * three the configured PA/AP/RJ codes, "next" where an approved order goes on. They are the only
 * statuses b2bsync.order.status.set may set (OrderStatusApi).
 */
final class ApprovalStatuses
{
    public const OPTION = 'approval_statuses';
    public const KEYS = ['pending', 'approved', 'rejected', 'next'];

    /** @param array<string, string> $codes */
    private function __construct(public readonly array $codes)
    {
    }

    /** The stored option's text; none (nothing allowed) when unset or broken. */
    public static function fromOption(string $json): self
    {
        if ($json === '') {
            return new self([]);
        }
        try {
            return self::parse(json_decode($json, true, 64, JSON_THROW_ON_ERROR));
        } catch (\JsonException | BadValue) {
            return new self([]);
        }
    }

    /**
     * @throws BadValue with the one-line reason
     */
    public static function parse(mixed $value): self
    {
        if (!is_array($value) || ($value !== [] && array_is_list($value))) {
            throw new BadValue('VALUE must be an object');
        }
        $have = array_map('strval', array_keys($value));
        $keys = self::KEYS;
        sort($have);
        sort($keys);
        if ($have !== $keys) {
            throw new BadValue('VALUE must have exactly the keys ' . implode(', ', $keys));
        }
        foreach (self::KEYS as $key) {
            if (!is_string($value[$key]) || preg_match('/\A[A-Z0-9]{1,2}\z/', $value[$key]) !== 1) {
                throw new BadValue("VALUE.$key must be a status ID (1-2 of A-Z, 0-9)");
            }
        }
        if (count(array_unique([$value['pending'], $value['approved'], $value['rejected']])) !== 3) {
            throw new BadValue('VALUE: pending, approved and rejected must be three different statuses');
        }
        if ($value['next'] === $value['pending']) {
            throw new BadValue('VALUE.next must not be the pending status');
        }
        return new self($value);
    }

    /** @return list<string> the statuses that may be set, sorted */
    public function allowed(): array
    {
        $codes = array_values(array_unique(array_values($this->codes)));
        sort($codes, SORT_STRING);
        return $codes;
    }
}
