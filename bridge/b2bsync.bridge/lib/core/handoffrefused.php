<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * A hand-off or who-am-I request that does not verify. The reason is for the log only; the
 * browser is told the link is not valid, never which part failed.
 */
final class HandoffRefused extends \RuntimeException
{
    public const MALFORMED = 'malformed';
    public const SIGNATURE = 'signature';
    public const EXPIRED = 'expired';
    public const TOO_LONG = 'too_long';
    public const USED = 'used';
    public const USER = 'user';

    public function __construct(public readonly string $reason)
    {
        parent::__construct("hand-off refused: $reason");
    }
}
