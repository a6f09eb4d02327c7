<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\NoncePort;

/** The hand-off's used nonces in memory, as the table keeps them (a nonce once, until its expiry). */
final class MemoryNonces implements NoncePort
{
    /** @var array<string, int> nonce => expiry */
    public array $used = [];

    public function claim(string $nonce, int $expires): bool
    {
        if (isset($this->used[$nonce])) {
            return false;
        }
        $this->used[$nonce] = $expires;
        return true;
    }

    public function forget(int $now): void
    {
        $this->used = array_filter($this->used, static fn (int $expires): bool => $expires >= $now);
    }
}
