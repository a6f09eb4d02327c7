<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * A cabinet request that is refused, with the reason the page shows (its lang key is
 * B2BSYNC_CABINET_DENIED_<REASON>) and the HTTP status the component answers with:
 *
 * - unconfigured (503): the schema was never applied — no role table or no HL-block;
 * - no_company (403): the user is an active member of no company;
 * - capability (403): the role does not grant what the page or action needs;
 * - not_found (404): the ID is not in the current company (said the same way whether the row
 *   exists elsewhere or not at all, so IDs of other companies cannot be probed);
 * - session (400): the form's session token (bitrix_sessid) is missing or stale;
 * - invalid (400): the input cannot be read (the message says which field);
 * - conflict (409): the action no longer applies (the order left PA, the last owner…).
 */
final class CabinetDenied extends \RuntimeException
{
    public const UNCONFIGURED = 'unconfigured';
    public const NO_COMPANY = 'no_company';
    public const CAPABILITY = 'capability';
    public const NOT_FOUND = 'not_found';
    public const SESSION = 'session';
    public const INVALID = 'invalid';
    public const CONFLICT = 'conflict';

    private const STATUS = [
        self::UNCONFIGURED => 503,
        self::NO_COMPANY => 403,
        self::CAPABILITY => 403,
        self::NOT_FOUND => 404,
        self::SESSION => 400,
        self::INVALID => 400,
        self::CONFLICT => 409,
    ];

    /** @param string $detail what exactly (a field name, a rule), for the page and the log */
    public function __construct(public readonly string $reason, public readonly string $detail = '')
    {
        parent::__construct($detail === '' ? $reason : "$reason: $detail");
    }

    public function httpStatus(): int
    {
        return self::STATUS[$this->reason] ?? 400;
    }

    /** @return list<string> every reason, for the lang-file check */
    public static function reasons(): array
    {
        return array_keys(self::STATUS);
    }
}
