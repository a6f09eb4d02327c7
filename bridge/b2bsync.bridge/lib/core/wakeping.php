<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The wake-up ping to b2bsync after a row is added to a watched block, exactly as
 * bridge/contract/events.json defines it: POST {sidecar}/events, body
 * {"block": TABLE_NAME, "id": row ID}, signed with HMAC-SHA256 over
 * "b2bsync-event-v1\n{timestamp}\n{body}" keyed with the shared secret, base64url without
 * padding. The ping only wakes b2bsync's watcher, which reads the rows back over REST.
 */
final class WakePing
{
    public const PREFIX = 'b2bsync-event-v1';
    public const TIMEOUT_SECONDS = 1;
    /** Watched HL-blocks: NAME (their entity's events are NAME . 'OnAfterAdd') => TABLE_NAME. */
    public const BLOCKS = [
        'B2bOrderEvents' => 'b2b_order_events',
        'OrderComments' => 'order_comments',
        'B2bInvites' => 'b2b_invites',
    ];
    public const EVENT_SUFFIX = 'OnAfterAdd';

    public static function body(string $table, int $id): string
    {
        return json_encode(['block' => $table, 'id' => $id], JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES);
    }

    public static function canonical(int $timestamp, string $body): string
    {
        return self::PREFIX . "\n" . $timestamp . "\n" . $body;
    }

    public static function signature(string $secret, int $timestamp, string $body): string
    {
        $mac = hash_hmac('sha256', self::canonical($timestamp, $body), $secret, true);
        return rtrim(strtr(base64_encode($mac), '+/', '-_'), '=');
    }

    public static function url(string $sidecarUrl): string
    {
        return rtrim($sidecarUrl, '/') . '/events';
    }

    /** The block's TABLE_NAME for an entity event type such as "OrderCommentsOnAfterAdd". */
    public static function tableForEvent(string $eventType): ?string
    {
        foreach (self::BLOCKS as $name => $table) {
            if (strcasecmp($eventType, $name . self::EVENT_SUFFIX) === 0) {
                return $table;
            }
        }
        return null;
    }

    /**
     * What to send, or null when pings are off (no sidecar URL or no secret) or the block is
     * not watched.
     *
     * @return array{url: string, headers: array<string, string>, body: string}|null
     */
    public static function request(string $sidecarUrl, string $secret, string $table, int $id, int $now): ?array
    {
        if (trim($sidecarUrl) === '' || $secret === '' || $id < 1 || !in_array($table, self::BLOCKS, true)) {
            return null;
        }
        $body = self::body($table, $id);
        return [
            'url' => self::url(trim($sidecarUrl)),
            'headers' => [
                'Content-Type' => 'application/json',
                'X-B2bsync-Timestamp' => (string)$now,
                'X-B2bsync-Signature' => self::signature($secret, $now, $body),
            ],
            'body' => $body,
        ];
    }
}
