<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetRows;
use B2bsync\Bridge\Core\LinkSigner;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use B2bsync\Bridge\Tests\Support\PageRunner;
use PHPUnit\Framework\TestCase;

/**
 * The real components and templates over the Bitrix test double: statuses, redirects and
 * refusals as a browser gets them; every POST needs the session token and the role, whatever
 * the page showed.
 */
final class ComponentPageTest extends TestCase
{
    private PageRunner $pages;

    protected function setUp(): void
    {
        $this->pages = new PageRunner(new W());
    }

    private function site(): \B2bsync\Bridge\Tests\Support\MemorySite
    {
        return $this->pages->world->site;
    }

    public function testEachRoleLandsOnItsPage(): void
    {
        $buyer = $this->pages->get('/cabinet/', W::BUYER);
        self::assertNull($buyer['status']);
        self::assertSame('Заказы компании', $buyer['title']);
        self::assertStringContainsString('RM-1025', $buyer['body']);
        self::assertStringContainsString('Новые заказы компании заблокированы: Долг 25 000', $buyer['body']);
        self::assertSame(['/b2bsync.bridge/install/components/b2bsync/cabinet/templates/.default/style.css', '/b2bsync.bridge/install/components/b2bsync/cabinet/templates/.default/script.js'], $buyer['assets']);
        $accountant = $this->pages->get('/cabinet/', W::ACCOUNTANT, 'en');
        self::assertSame('Documents', $accountant['title']);
        self::assertStringContainsString('СЧ-00412', $accountant['body']);
        self::assertStringNotContainsString('href="/cabinet/orders/"', $accountant['body'], 'no orders in the menu');
    }

    public function testPagesTheRoleMayNotOpenAreRefused(): void
    {
        foreach (['/cabinet/orders/', '/cabinet/orders/1024/', '/cabinet/company/'] as $uri) {
            $page = $this->pages->get($uri, W::ACCOUNTANT, 'en');
            self::assertSame('403 Forbidden', $page['status'], $uri);
            self::assertStringContainsString('Your role in the company does not give access', $page['body']);
            self::assertStringNotContainsString('RM-1024', $page['body']);
        }
        self::assertSame('403 Forbidden', $this->pages->get('/cabinet/documents/', W::BUYER)['status']);
        self::assertSame('403 Forbidden', $this->pages->get('/cabinet/finance/', W::VIEWER)['status']);
        self::assertSame('404 Not Found', $this->pages->get('/cabinet/orders/2001/', W::BUYER)['status'], 'another company\'s order');
        self::assertSame('404 Not Found', $this->pages->get('/cabinet/nope/', W::BUYER)['status']);
        self::assertSame('403 Forbidden', $this->pages->get('/cabinet/', W::FORMER)['status'], 'deactivated');
        $guest = $this->pages->get('/cabinet/', 0);
        self::assertSame('401 Unauthorized', $guest['status']);
        self::assertStringNotContainsString('RM-', $guest['body']);
    }

    public function testABuyerFindsTheOldOrderByArticle(): void
    {
        $found = $this->pages->get('/cabinet/orders/?article=art-7731', W::BUYER);
        self::assertSame(1, substr_count($found['body'], 'class="b2b-order"'));
        self::assertStringContainsString('href="/cabinet/orders/1001/">RM-1001</a>', $found['body']);
        $order = $this->pages->get('/cabinet/orders/1001/', W::BUYER);
        self::assertStringContainsString('ART-7731', $order['body']);
    }

    public function testAViewerCannotApproveEvenByForgingThePost(): void
    {
        $page = $this->pages->get('/cabinet/orders/1024/', W::VIEWER);
        self::assertStringNotContainsString('order.approve', $page['body']);
        $forged = $this->pages->post('/cabinet/orders/1024/', W::VIEWER, ['b2b_action' => 'order.approve']);
        self::assertSame('403 Forbidden', $forged['status']);
        self::assertNull($forged['redirect']);
        self::assertSame('PA', $this->site()->orders[W::PENDING_ORDER]['STATUS_ID']);
    }

    public function testAnOwnerApprovesWithTheSessionTokenOnly(): void
    {
        self::assertStringContainsString('order.approve', $this->pages->get('/cabinet/orders/1024/', W::OWNER)['body']);
        $stale = $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'order.approve', 'sessid' => 'stale'], 'ru', false);
        self::assertSame('400 Bad Request', $stale['status']);
        self::assertStringContainsString('Сессия устарела', $stale['body']);
        self::assertSame('400 Bad Request', $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'order.approve'], 'ru', false)['status'], 'no token at all');
        self::assertSame('PA', $this->site()->orders[W::PENDING_ORDER]['STATUS_ID']);
        $done = $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'order.approve']);
        self::assertSame('/cabinet/orders/1024/?done=approved', $done['redirect']);
        self::assertSame('AP', $this->site()->orders[W::PENDING_ORDER]['STATUS_ID']);
        $after = $this->pages->get('/cabinet/orders/1024/?done=approved', W::OWNER);
        self::assertStringContainsString('Заказ согласован.', $after['body']);
        self::assertStringNotContainsString('order.approve', $after['body']);
        $again = $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'order.approve']);
        self::assertSame('409 Conflict', $again['status']);
    }

    public function testRejectAndCommentThroughTheForms(): void
    {
        $rejected = $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'order.reject', 'reason' => 'Сначала оплата']);
        self::assertSame('/cabinet/orders/1024/?done=rejected', $rejected['redirect']);
        self::assertSame('RJ', $this->site()->orders[W::PENDING_ORDER]['STATUS_ID']);
        $commented = $this->pages->post('/cabinet/orders/1024/?done=rejected', W::BUYER, ['b2b_action' => 'order.comment', 'text' => '<b>Понял</b>']);
        self::assertSame('/cabinet/orders/1024/?done=commented', $commented['redirect']);
        $page = $this->pages->get('/cabinet/orders/1024/', W::BUYER);
        self::assertStringContainsString('&lt;b&gt;Понял&lt;/b&gt;', $page['body'], 'escaped');
        self::assertStringContainsString('<q class="b2b-reason">Сначала оплата</q>', $page['body']);
    }

    public function testTheCompanySwitcher(): void
    {
        $switched = $this->pages->post('/cabinet/orders/1024/', W::OWNER, ['b2b_action' => 'cabinet.switch', 'company_id' => '2']);
        self::assertSame('/cabinet/', $switched['redirect']);
        self::assertSame(W::OTHER_COMPANY, $this->site()->preferences[W::OWNER]);
        $page = $this->pages->get('/cabinet/', W::OWNER);
        self::assertStringContainsString('<option value="2" selected>АО «Вектор»</option>', $page['body']);
        self::assertStringContainsString('VK-2001', $page['body']);
        self::assertSame('404 Not Found', $this->pages->get('/cabinet/orders/1024/', W::OWNER)['status']);
        self::assertSame('404 Not Found', $this->pages->post('/cabinet/', W::BUYER, ['b2b_action' => 'cabinet.switch', 'company_id' => '2'])['status']);
    }

    public function testDownloads(): void
    {
        $stored = $this->pages->get('/cabinet/documents/?download=1', W::ACCOUNTANT);
        self::assertNull($stored['status']);
        self::assertSame([['stored', 1, 'invoice-СЧ-00412.pdf']], $this->site()->downloads);
        $this->pages->get('/cabinet/documents/?download=2', W::OWNER);
        self::assertSame(['uploaded', '/upload/b2b/docs/1/waybill-98.pdf', 'waybill-ТН-00098.pdf'], $this->site()->downloads[1]);
        $link = $this->pages->get('/cabinet/documents/?download=3', W::ACCOUNTANT);
        parse_str((string)parse_url((string)$link['redirect'], PHP_URL_QUERY), $q);
        self::assertTrue((new LinkSigner(W::LINK_SECRET))->verify($q['doc'], $q['user'], $q['exp'], $q['sig'], (int)$q['exp']));
        self::assertSame('403 Forbidden', $this->pages->get('/cabinet/documents/?download=1', W::BUYER)['status']);
        self::assertSame('404 Not Found', $this->pages->get('/cabinet/documents/?download=6', W::ACCOUNTANT)['status']);
        self::assertCount(2, $this->site()->downloads);
    }

    public function testNotificationsAndCompanyForms(): void
    {
        $read = $this->pages->post('/cabinet/notifications/', W::BUYER, ['b2b_action' => 'notifications.read', 'id' => '2']);
        self::assertSame('/cabinet/notifications/?done=read', $read['redirect']);
        self::assertStringContainsString('data-b2b-unread>1</span>', $this->pages->get('/cabinet/notifications/', W::BUYER)['body']);
        self::assertSame('404 Not Found', $this->pages->post('/cabinet/notifications/', W::BUYER, ['b2b_action' => 'notifications.read', 'id' => '4'])['status']);
        $this->pages->post('/cabinet/notifications/', W::BUYER, ['b2b_action' => 'notifications.read_all']);
        self::assertStringContainsString('data-b2b-unread hidden>0</span>', $this->pages->get('/cabinet/notifications/', W::BUYER)['body']);

        $invited = $this->pages->post('/cabinet/company/', W::OWNER, ['b2b_action' => 'company.invite', 'email' => 'x@romashka.example', 'role' => 'viewer']);
        self::assertSame('/cabinet/company/?done=invited', $invited['redirect']);
        $last = $this->pages->world->cabinet()->rows()->first(CabinetRows::INVITES, [], ['ID' => 'DESC']);
        self::assertSame(['x@romashka.example', 'viewer', 'requested'], [$last['UF_EMAIL'], $last['UF_ROLE'], $last['UF_STATUS']]);
        $lastOwner = $this->pages->post('/cabinet/company/', W::OWNER, ['b2b_action' => 'company.deactivate', 'id' => '1'], 'en');
        self::assertSame('409 Conflict', $lastOwner['status']);
        self::assertStringContainsString('The company must keep at least one active owner.', $lastOwner['body']);
        self::assertSame('403 Forbidden', $this->pages->post('/cabinet/company/', W::BUYER, ['b2b_action' => 'company.role', 'id' => '2', 'role' => 'owner'])['status']);
        self::assertSame('buyer', $this->pages->world->cabinet()->rows()->get(CabinetRows::MEMBERS, 2)['UF_ROLE']);
    }

    public function testWithoutTheSchemaTheCabinetSaysSo(): void
    {
        unset($this->site()->options['roles']);
        $page = $this->pages->get('/cabinet/', W::BUYER, 'en');
        self::assertSame('503 Service Unavailable', $page['status']);
        self::assertStringContainsString('b2bsync schema apply', $page['body']);
    }

    public function testAChildComponentStandsAloneOnAPage(): void
    {
        $page = $this->pages->run(['method' => 'GET', 'uri' => '/b2b/finance.php', 'user' => W::ACCOUNTANT, 'lang' => 'en'], 'b2bsync:finance', ['STALE_HOURS' => '1']);
        self::assertNull($page['status']);
        self::assertStringContainsString('380,000.50 RUB', $page['body']);
        self::assertStringNotContainsString('b2b-head', $page['body'], 'no cabinet header');
    }

    public function testASiteTemplateCopyReplacesTheDefaultTemplate(): void
    {
        $pages = new PageRunner(new W(), dirname(__DIR__) . '/fixtures/site_template');
        $page = $pages->get('/cabinet/finance/', W::OWNER, 'en');
        self::assertStringContainsString('<div class="my-credit">Credit used: 380,000.50 RUB</div>', $page['body']);
        self::assertStringContainsString('b2b-head', $page['body'], 'the cabinet keeps its own template');
    }
}
