<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The login hand-off after an invite is accepted (bridge/contract/handoff.json, "login"):
 * b2bsync sends the browser to the module's page with user, exp, nonce, path and sig, an
 * HMAC-SHA256 with the shared secret over "b2bsync-login-v1\n{user}\n{exp}\n{nonce}\n{path}",
 * base64url without padding. The page logs that user in and redirects to path, when:
 *
 * - every field matches its pattern (path: one leading slash, not // nor /\ — never another
 *   site), then the MAC in constant time;
 * - now <= exp and exp - now <= 60 (b2bsync never makes one for longer);
 * - the user may be logged in this way: never an administrator nor a service user;
 * - the nonce was never used (NoncePort::claim, atomic): the link works once.
 */
final class LoginHandoff
{
    public const PREFIX = 'b2bsync-login-v1';
    public const MAX_LIFETIME = 60;
    public const MAX_PATH = 512;

    public function __construct(
        private readonly string $secret,
        private readonly NoncePort $nonces,
        private readonly ?AccessPolicy $policy = null,
    ) {
        if ($secret === '') {
            throw new \InvalidArgumentException('the shared secret is empty');
        }
    }

    public static function canonical(int $userId, int $expires, string $nonce, string $path): string
    {
        return self::PREFIX . "\n" . $userId . "\n" . $expires . "\n" . $nonce . "\n" . $path;
    }

    public static function sign(string $secret, int $userId, int $expires, string $nonce, string $path): string
    {
        return Signature::mac($secret, self::canonical($userId, $expires, $nonce, $path));
    }

    /** The hand-off link (b2bsync makes it; here for the contract's vectors). */
    public static function url(string $baseUrl, string $secret, int $userId, int $expires, string $nonce, string $path): string
    {
        return Signature::withQuery($baseUrl, [
            'user' => (string)$userId,
            'exp' => (string)$expires,
            'nonce' => $nonce,
            'path' => $path,
            'sig' => self::sign($secret, $userId, $expires, $nonce, $path),
        ]);
    }

    public static function isPath(string $path): bool
    {
        return strlen($path) <= self::MAX_PATH && preg_match('~\A/(?![/\\\\])[^\s\x00-\x1f\\\\]*\z~u', $path) === 1;
    }

    /**
     * The user to log in and where to send them; HandoffRefused otherwise. Nothing is recorded
     * unless every check but the nonce passed, so a forged link cannot burn a real one's nonce.
     *
     * @param array<string, mixed> $query the page's GET parameters
     * @return array{user: int, path: string}
     */
    public function verify(array $query, int $now): array
    {
        $user = Signature::field($query, 'user');
        $exp = Signature::field($query, 'exp');
        $nonce = Signature::field($query, 'nonce');
        $path = Signature::field($query, 'path');
        $sig = Signature::field($query, 'sig');
        if (!Signature::isId($user) || !Signature::isTime($exp) || !Signature::isNonce($nonce) || !self::isPath($path)) {
            throw new HandoffRefused(HandoffRefused::MALFORMED);
        }
        if (!Signature::matches($sig, self::sign($this->secret, (int)$user, (int)$exp, $nonce, $path))) {
            throw new HandoffRefused(HandoffRefused::SIGNATURE);
        }
        self::inTime((int)$exp, $now, self::MAX_LIFETIME);
        if ($this->policy !== null && $this->policy->hidesUser((int)$user)) {
            throw new HandoffRefused(HandoffRefused::USER);
        }
        $this->nonces->forget($now);
        if (!$this->nonces->claim($nonce, (int)$exp)) {
            throw new HandoffRefused(HandoffRefused::USED);
        }
        return ['user' => (int)$user, 'path' => $path];
    }

    /** now <= exp (inclusive) and exp no more than $lifetime ahead. */
    public static function inTime(int $expires, int $now, int $lifetime): void
    {
        if ($now > $expires) {
            throw new HandoffRefused(HandoffRefused::EXPIRED);
        }
        if ($expires - $now > $lifetime) {
            throw new HandoffRefused(HandoffRefused::TOO_LONG);
        }
    }
}
