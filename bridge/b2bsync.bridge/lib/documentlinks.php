<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\LinkSigner;
use Bitrix\Main\Config\Option;

/**
 * Signed document download links for the cabinet's PHP templates (DESIGN §9):
 *
 *     \Bitrix\Main\Loader::includeModule('b2bsync.bridge');
 *     $url = \B2bsync\Bridge\DocumentLinks::url((string)$document['ID'], (int)$USER->GetID());
 *
 * The base URL, the shared secret and the lifetime are the module's settings (options.php).
 */
final class DocumentLinks
{
    public const OPTION_BASE_URL = 'link_base_url';
    public const OPTION_SECRET = 'link_secret';
    public const OPTION_TTL = 'link_ttl';

    public static function url(string $documentId, int $userId, ?int $ttl = null): string
    {
        $secret = Option::get(Mail::MODULE_ID, self::OPTION_SECRET, '');
        $baseUrl = Option::get(Mail::MODULE_ID, self::OPTION_BASE_URL, '');
        if ($secret === '' || $baseUrl === '') {
            throw new \LogicException('b2bsync.bridge: set the link base URL and secret in the module settings');
        }
        $lifetime = $ttl ?? (int)Option::get(Mail::MODULE_ID, self::OPTION_TTL, '86400');
        return (new LinkSigner($secret))->urlFor($baseUrl, $documentId, $userId, time(), $lifetime);
    }
}
