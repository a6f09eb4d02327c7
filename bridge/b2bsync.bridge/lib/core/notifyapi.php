<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * b2bsync.recipient.list and b2bsync.link.info: the users b2bsync writes to, in their own
 * language, with their groups (b2bsync checks its approval override groups with them), and a
 * signed probe with which b2bsync checks that it holds the module's secret
 * without the secret ever leaving the site (bridge/contract/README.md).
 */
final class NotifyApi
{
    public const MAX_IDS = 50;
    public const OPTION_BASE_URL = 'link_base_url';
    public const OPTION_SECRET = 'link_secret';
    public const OPTION_TTL = 'link_ttl';
    public const OPTION_SIDECAR = 'sidecar_url';

    public function __construct(
        private readonly RecipientPort $recipients,
        private readonly OptionPort $options,
    ) {
    }

    /** @return list<array<string, mixed>> */
    public function recipients(Params $params): array
    {
        $raw = $params->get('IDS');
        if (!is_array($raw) || !array_is_list($raw) || $raw === [] || count($raw) > self::MAX_IDS) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'IDS must be a list of 1-' . self::MAX_IDS . ' user IDs');
        }
        $ids = [];
        foreach ($raw as $item) {
            $id = Params::positiveInt($item);
            if ($id === null) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'IDS must list user IDs');
            }
            $ids[$id] = $id;
        }
        ksort($ids);
        $out = [];
        foreach ($this->recipients->usersByIds(array_values($ids)) as $user) {
            $out[(int)$user['ID']] = [
                'ID' => (int)$user['ID'],
                'EMAIL' => (string)$user['EMAIL'],
                'NAME' => (string)$user['NAME'],
                'LAST_NAME' => (string)$user['LAST_NAME'],
                'ACTIVE' => Params::yn((bool)$user['ACTIVE']),
                'LANGUAGE_ID' => (string)($user['LANGUAGE_ID'] ?? ''),
                'GROUP_IDS' => self::groups($user['GROUP_IDS'] ?? []),
            ];
        }
        ksort($out);
        return array_values($out);
    }

    /**
     * @param array<array-key, mixed> $groups
     * @return list<int> sorted, without repeats
     */
    private static function groups(array $groups): array
    {
        $out = array_values(array_unique(array_map('intval', $groups)));
        sort($out);
        return $out;
    }

    /** @return array{BASE_URL: string, TTL: int, EVENTS_URL: string, SIGNATURE: ?string} */
    public function linkInfo(Params $params): array
    {
        $nonce = $params->string('NONCE');
        if (preg_match('/\A[A-Za-z0-9_-]{8,58}\z/', $nonce) !== 1) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'NONCE must be 8-58 characters of A-Z, a-z, 0-9, _ and -');
        }
        $secret = $this->options->option(self::OPTION_SECRET);
        $sidecar = trim($this->options->option(self::OPTION_SIDECAR));
        return [
            'BASE_URL' => $this->options->option(self::OPTION_BASE_URL),
            'TTL' => (int)$this->options->option(self::OPTION_TTL, '86400'),
            'EVENTS_URL' => $sidecar === '' ? '' : WakePing::url($sidecar),
            'SIGNATURE' => $secret === '' ? null : (new LinkSigner($secret))->sign('probe-' . $nonce, 1, 0),
        ];
    }
}
