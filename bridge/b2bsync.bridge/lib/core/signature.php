<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the hand-off and who-am-I strings share: the MAC (HMAC-SHA256, base64url without
 * padding), its constant-time comparison, the field patterns, and query strings encoded as
 * RFC 3986 (http_build_query with PHP_QUERY_RFC3986), as bridge/contract/handoff.json shows.
 */
final class Signature
{
    public static function mac(string $secret, string $message): string
    {
        return rtrim(strtr(base64_encode(hash_hmac('sha256', $message, $secret, true)), '+/', '-_'), '=');
    }

    public static function matches(string $given, string $expected): bool
    {
        return preg_match('/\A[A-Za-z0-9_-]{43}\z/', $given) === 1 && hash_equals($expected, $given);
    }

    /** @param array<string, mixed> $query */
    public static function field(array $query, string $name): string
    {
        $value = $query[$name] ?? '';
        return is_string($value) ? $value : '';
    }

    public static function isId(string $value): bool
    {
        return preg_match('/\A[1-9][0-9]{0,18}\z/', $value) === 1 && (int)$value > 0;
    }

    public static function isTime(string $value): bool
    {
        return preg_match('/\A(?:0|[1-9][0-9]{0,18})\z/', $value) === 1;
    }

    public static function isNonce(string $value): bool
    {
        return preg_match('/\A[A-Za-z0-9_-]{16,64}\z/', $value) === 1;
    }

    /** @param array<string, string> $params */
    public static function withQuery(string $url, array $params): string
    {
        return $url . (str_contains($url, '?') ? '&' : '?') . http_build_query($params, '', '&', PHP_QUERY_RFC3986);
    }
}
