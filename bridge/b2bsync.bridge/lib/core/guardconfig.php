<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The order guard's settings: the module option "guard", written by `b2bsync schema apply`
 * (b2bsync.option.set) from b2bsync's [bitrix] status codes and [approval] rules —
 * {"version": 1, "pending_status": "PA", "over_credit": "approval"|"refuse",
 * "when_blocked": "approval"|"refuse"}, no other keys. The Python twin is
 * bitrix_client.order_guard.GuardConfig; both refuse the same values (71_guard_option.json).
 */
final class GuardConfig
{
    public const OPTION = 'guard';
    public const VERSION = 1;
    public const APPROVAL = 'approval';
    public const REFUSE = 'refuse';
    private const KEYS = ['over_credit', 'pending_status', 'version', 'when_blocked'];
    /** Statuses Bitrix itself needs: never the pending one. */
    private const SYSTEM_STATUSES = ['N', 'F', 'DN', 'DF'];

    private function __construct(
        public readonly string $pendingStatus,
        public readonly string $overCredit,
        public readonly string $whenBlocked,
    ) {
    }

    /**
     * A decoded option value, checked.
     * @throws BadValue with the one-line reason
     */
    public static function parse(mixed $value): self
    {
        if (!is_array($value) || ($value !== [] && array_is_list($value))) {
            throw new BadValue('VALUE must be an object with exactly the keys ' . implode(', ', self::KEYS));
        }
        $keys = array_map('strval', array_keys($value));
        sort($keys);
        if ($keys !== self::KEYS) {
            throw new BadValue('VALUE must be an object with exactly the keys ' . implode(', ', self::KEYS));
        }
        if (!is_int($value['version']) || $value['version'] !== self::VERSION) {
            throw new BadValue('VALUE.version must be ' . self::VERSION);
        }
        $status = $value['pending_status'];
        if (!is_string($status) || preg_match('/\A[A-Za-z0-9]{1,2}\z/', $status) !== 1) {
            throw new BadValue('VALUE.pending_status must be a status ID: 1–2 Latin letters or digits');
        }
        if (in_array(strtoupper($status), self::SYSTEM_STATUSES, true)) {
            throw new BadValue("VALUE.pending_status $status is a system status (N, F, DN, DF)");
        }
        foreach (['over_credit', 'when_blocked'] as $key) {
            if (!in_array($value[$key], [self::APPROVAL, self::REFUSE], true)) {
                throw new BadValue("VALUE.$key must be approval or refuse");
            }
        }
        return new self($status, $value['over_credit'], $value['when_blocked']);
    }

    /** The stored option's text; null when there is none or it does not parse (the guard is off). */
    public static function fromOption(string $json): ?self
    {
        if ($json === '') {
            return null;
        }
        try {
            return self::parse(json_decode($json, true, 16, JSON_THROW_ON_ERROR));
        } catch (\JsonException | BadValue) {
            return null;
        }
    }
}
