<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Signed document download links (DESIGN §9), exactly as bridge/contract/signing.json defines
 * them: HMAC-SHA256 over "b2bsync-doc-v1\n{document_id}\n{user_id}\n{expires}" keyed with the
 * shared secret, base64url without padding; b2bsync's download endpoint verifies them.
 */
final class LinkSigner
{
    private const PREFIX = 'b2bsync-doc-v1';

    public function __construct(private readonly string $secret)
    {
        if ($secret === '') {
            throw new \InvalidArgumentException('the link secret is empty');
        }
    }

    public static function canonical(string $documentId, int $userId, int $expires): string
    {
        self::check($documentId, $userId, $expires);
        return self::PREFIX . "\n" . $documentId . "\n" . $userId . "\n" . $expires;
    }

    public function sign(string $documentId, int $userId, int $expires): string
    {
        $mac = hash_hmac('sha256', self::canonical($documentId, $userId, $expires), $this->secret, true);
        return rtrim(strtr(base64_encode($mac), '+/', '-_'), '=');
    }

    /** The download link: $baseUrl with doc, user, exp and sig appended to its query. */
    public function url(string $baseUrl, string $documentId, int $userId, int $expires): string
    {
        $separator = str_contains($baseUrl, '?') ? '&' : '?';
        return $baseUrl . $separator
            . 'doc=' . rawurlencode($documentId)
            . '&user=' . $userId
            . '&exp=' . $expires
            . '&sig=' . $this->sign($documentId, $userId, $expires);
    }

    /** A link valid for $ttl seconds from $now. */
    public function urlFor(string $baseUrl, string $documentId, int $userId, int $now, int $ttl): string
    {
        return $this->url($baseUrl, $documentId, $userId, $now + $ttl);
    }

    /** The check b2bsync makes, here for completeness: pattern, MAC in constant time, expiry. */
    public function verify(string $documentId, string $userId, string $expires, string $signature, int $now): bool
    {
        if (
            preg_match('/\A[1-9][0-9]*\z/', $userId) !== 1
            || preg_match('/\A(?:0|[1-9][0-9]*)\z/', $expires) !== 1
            || preg_match('/\A[A-Za-z0-9_-]{1,64}\z/', $documentId) !== 1
        ) {
            return false;
        }
        $expected = $this->sign($documentId, (int)$userId, (int)$expires);
        return hash_equals($expected, $signature) && $now <= (int)$expires;
    }

    private static function check(string $documentId, int $userId, int $expires): void
    {
        if (preg_match('/\A[A-Za-z0-9_-]{1,64}\z/', $documentId) !== 1) {
            throw new \InvalidArgumentException('document id must match ^[A-Za-z0-9_-]{1,64}$');
        }
        if ($userId < 1 || $expires < 0) {
            throw new \InvalidArgumentException('user id must be positive and expiry non-negative');
        }
    }
}
