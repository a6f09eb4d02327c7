<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetAccess;
use B2bsync\Bridge\Core\CabinetRoutes;
use PHPUnit\Framework\TestCase;

/** The SEF routes declared once: parsing, links, overrides from SEF_URL_TEMPLATES, landing pages. */
final class CabinetRoutesTest extends TestCase
{
    public function testParsesEveryPageAndBuildsItsLink(): void
    {
        $routes = new CabinetRoutes('/cabinet/');
        self::assertSame(['index', []], $routes->parse('/cabinet/'));
        self::assertSame(['index', []], $routes->parse('/cabinet'));
        self::assertSame(['index', []], $routes->parse('/cabinet/index.php?x=1'));
        self::assertSame(['orders', []], $routes->parse('/cabinet/orders/?article=A-1'));
        self::assertSame(['order', ['ORDER_ID' => 1024]], $routes->parse('/cabinet/orders/1024/'));
        self::assertSame(['documents', []], $routes->parse('/cabinet/documents/'));
        self::assertSame(['finance', []], $routes->parse('/cabinet/finance/'));
        self::assertSame(['notifications', []], $routes->parse('/cabinet/notifications/'));
        self::assertSame(['company', []], $routes->parse('/cabinet/company/'));
        self::assertSame('/cabinet/orders/1024/', $routes->url('order', ['ORDER_ID' => 1024]));
        self::assertSame('/cabinet/', $routes->url('index'));
        self::assertSame('/cabinet/orders/#ORDER_ID#/', $routes->template('order'));
        foreach (array_keys(CabinetRoutes::PAGES) as $page) {
            self::assertSame($page, $routes->parse($routes->url($page, ['ORDER_ID' => 7]))[0]);
        }
    }

    public function testUnknownPathsAndBadIdsAreNotPages(): void
    {
        $routes = new CabinetRoutes('/cabinet/');
        foreach (['/cabinet/orders/abc/', '/cabinet/orders/0/', '/cabinet/orders/-1/', '/cabinet/orders/1/2/', '/cabinet/nope/', '/other/orders/', '/cabinet/../orders/', '/cabinet/orders/99999999999/'] as $path) {
            self::assertNull($routes->parse($path), $path);
        }
    }

    public function testOverridesKeepTheirVariablesOrAreIgnored(): void
    {
        $routes = new CabinetRoutes('b2b', [
            'order' => 'o/#ORDER_ID#.html',
            'orders' => 'list/',
            'documents' => 'docs/#ORDER_ID#/',
            'finance' => '<script>/',
            'unknown' => 'x/',
        ]);
        self::assertSame('/b2b/o/5.html', $routes->url('order', ['ORDER_ID' => 5]));
        self::assertSame(['order', ['ORDER_ID' => 5]], $routes->parse('/b2b/o/5.html'));
        self::assertSame('/b2b/list/', $routes->url('orders'));
        self::assertSame('/b2b/documents/', $routes->url('documents'), 'a variable the page does not take');
        self::assertSame('/b2b/finance/', $routes->url('finance'), 'characters a path template cannot hold');
        self::assertArrayNotHasKey('unknown', $routes->templates());
    }

    public function testEachRoleLandsOnItsFirstPageAndSeesOnlyItsMenu(): void
    {
        $access = CabinetAccess::parse(json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/roles.json'), true));
        self::assertSame('orders', CabinetRoutes::landing($access, 'buyer'));
        self::assertSame('documents', CabinetRoutes::landing($access, 'accountant'));
        self::assertSame(['orders', 'documents', 'finance', 'notifications', 'company'], CabinetRoutes::menu($access, 'owner'));
        self::assertSame(['orders', 'notifications'], CabinetRoutes::menu($access, 'buyer'));
        self::assertSame(['documents', 'finance', 'notifications'], CabinetRoutes::menu($access, 'accountant'));
        self::assertSame(['orders', 'notifications'], CabinetRoutes::menu($access, 'viewer'));
        self::assertNull(CabinetRoutes::landing($access, 'director'));
        self::assertFalse(CabinetRoutes::allowed($access, 'viewer', 'company'));
        self::assertTrue(CabinetRoutes::allowed($access, 'viewer', 'order'));
        self::assertFalse(CabinetRoutes::allowed($access, 'owner', 'nope'));
    }
}
