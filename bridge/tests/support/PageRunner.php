<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Cabinet\CabinetComponent;
use Bitrix\Main\DI\ServiceLocator;

/**
 * Renders the cabinet's real components and templates in process, over the Bitrix test double
 * (tests/site/bitrix.php) and a CabinetWorld: one request at a time, each with a fresh Cabinet
 * (as a site builds one per request), the answer's status, body, redirect and title returned.
 */
final class PageRunner
{
    public const FOLDER = '/cabinet/';
    public const SESSID = 'd0ub1e5e55104d00000000000000c0de';

    public function __construct(public readonly CabinetWorld $world, ?string $siteTemplateRoot = null)
    {
        require_once dirname(__DIR__) . '/site/bitrix.php';
        \BitrixDouble::$componentsRoot = dirname(__DIR__, 2) . '/b2bsync.bridge/install/components';
        \BitrixDouble::$documentRoot = dirname(__DIR__, 2);
        \BitrixDouble::$siteTemplateRoot = $siteTemplateRoot;
        \BitrixDouble::$sessid = self::SESSID;
    }

    /** @return array{status: ?string, body: string, redirect: ?string, title: string, assets: list<string>} */
    public function get(string $uri, int $user, string $lang = 'ru'): array
    {
        return $this->run(['method' => 'GET', 'uri' => $uri, 'user' => $user, 'lang' => $lang]);
    }

    /**
     * @param array<string, mixed> $post
     * @return array{status: ?string, body: string, redirect: ?string, title: string, assets: list<string>}
     */
    public function post(string $uri, int $user, array $post, string $lang = 'ru', bool $withSession = true): array
    {
        if ($withSession) {
            $post += ['sessid' => self::SESSID];
        }
        return $this->run(['method' => 'POST', 'uri' => $uri, 'user' => $user, 'post' => $post, 'lang' => $lang]);
    }

    /**
     * @param array<string, mixed> $request
     * @param array<string, mixed> $params the cabinet's parameters
     * @return array{status: ?string, body: string, redirect: ?string, title: string, assets: list<string>}
     */
    public function run(array $request, string $component = 'b2bsync:cabinet', array $params = []): array
    {
        ServiceLocator::getInstance()->addInstance(CabinetComponent::SERVICE, $this->world->cabinet());
        \BitrixDouble::begin($request);
        $params += $component === 'b2bsync:cabinet' ? ['SEF_FOLDER' => self::FOLDER, 'SEF_MODE' => 'Y'] : [];
        ob_start();
        \BitrixDouble::$bufferLevel = ob_get_level();
        try {
            $GLOBALS['APPLICATION']->IncludeComponent($component, '', $params);
        } catch (\BitrixDoubleEnd) {
            // a redirect or a sent file ended the request
        } finally {
            $body = (string)ob_get_clean();
            \BitrixDouble::$bufferLevel = 0;
        }
        return [
            'status' => \BitrixDouble::$status,
            'body' => $body,
            'redirect' => \BitrixDouble::$redirect,
            'title' => \BitrixDouble::$title,
            'assets' => \BitrixDouble::$assets,
        ];
    }
}
