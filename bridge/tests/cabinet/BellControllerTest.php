<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Controller\Bell;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use B2bsync\Bridge\Tests\Support\PageRunner;
use Bitrix\Main\DI\ServiceLocator;
use PHPUnit\Framework\TestCase;

/**
 * The bell's controller actions through the double's runner, which applies the prefilters the
 * controller declares the way main/lib/engine does: POST only, a logged-in user, the CSRF token.
 */
final class BellControllerTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
        new PageRunner($this->world);
    }

    /**
     * @param array<string, string> $headers
     * @return array{0: int, 1: array<string, mixed>}
     */
    private function call(string $action, string $method, int $user, array $headers = [], array $arguments = []): array
    {
        ServiceLocator::getInstance()->addInstance(CabinetComponent::SERVICE, $this->world->cabinet());
        \BitrixDouble::begin(['method' => $method, 'uri' => '/bitrix/services/main/ajax.php?action=b2bsync:bridge.bell.' . $action, 'user' => $user, 'headers' => $headers]);
        return \BitrixDouble::runAction(new Bell(), $action, $arguments);
    }

    public function testTheCounter(): void
    {
        $token = ['X-Bitrix-Csrf-Token' => PageRunner::SESSID];
        self::assertSame([200, ['status' => 'success', 'data' => ['unread' => 2], 'errors' => []]], $this->call('counter', 'POST', W::BUYER, $token));
        self::assertSame(405, $this->call('counter', 'GET', W::BUYER, $token)[0], 'POST only');
        self::assertSame(401, $this->call('counter', 'POST', 0, $token)[0], 'logged in only');
        self::assertSame([401, 'invalid_csrf'], [$this->call('counter', 'POST', W::BUYER)[0], $this->call('counter', 'POST', W::BUYER)[1]['errors'][0]['code']]);
        self::assertSame(401, $this->call('counter', 'POST', W::BUYER, ['X-Bitrix-Csrf-Token' => 'other'])[0]);
    }

    public function testReadAndReadAll(): void
    {
        $token = ['X-Bitrix-Csrf-Token' => PageRunner::SESSID];
        self::assertSame(['unread' => 1], $this->call('read', 'POST', W::BUYER, $token, [2])[1]['data']);
        [$status, $answer] = $this->call('read', 'POST', W::BUYER, $token, [4]);
        self::assertSame([400, 'not_found'], [$status, $answer['errors'][0]['code']], 'someone else\'s notification');
        self::assertSame(['unread' => 0], $this->call('readAll', 'POST', W::BUYER, $token)[1]['data']);
        self::assertSame(2, $this->world->cabinet()->notifications()->unread(W::OWNER));
        self::assertSame([[W::BUYER, 1], [W::BUYER, 0]], $this->world->site->pushes);
    }
}
