<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The login hand-off's used nonces (\B2bsync\Bridge\HandoffNonces over the table
 * b2bsync_bridge_handoff_nonce; in memory in the tests).
 */
interface NoncePort
{
    /**
     * Record $nonce as used until $expires; false when it was recorded already. Must be atomic
     * (a primary key insert): of two requests with the same nonce, one gets true.
     */
    public function claim(string $nonce, int $expires): bool;

    /** Forget nonces whose expiry is before $now (they cannot verify any more anyway). */
    public function forget(int $now): void;
}
