<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\CabinetRoutes;
use B2bsync\Bridge\Core\FinanceView;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** The credit position and the cabinet header that summarises it. */
final class FinanceViewTest extends TestCase
{
    public function testThePositionAsTheFinancePageShowsIt(): void
    {
        $world = new W();
        $cabinet = $world->cabinet();
        $f = $cabinet->finance()->build($cabinet->scope()->current(W::ACCOUNTANT), 'ru');
        self::assertSame([
            'KNOWN' => true,
            'LIMIT' => "500\u{00A0}000,00\u{00A0}₽",
            'USED' => "380\u{00A0}000,50\u{00A0}₽",
            'AVAILABLE' => "119\u{00A0}999,50\u{00A0}₽",
            'PERCENT' => 76,
            'OVER_LIMIT' => false,
            'HAS_OVERDUE' => true,
            'OVERDUE' => "25\u{00A0}000,00\u{00A0}₽",
            'OVERDUE_SINCE' => '30.10.2026',
            'MONTH_ORDERS' => "120\u{00A0}000,00\u{00A0}₽",
            'AS_OF' => '24.11.2026 09:00',
            'STALE' => false,
            'BLOCKED' => true,
            'BLOCK_REASON' => 'Долг 25 000 ₽ не оплачен с 30.10.2026',
        ], $f);
        $this->expectException(CabinetDenied::class);
        $cabinet->finance()->build($cabinet->scope()->current(W::BUYER), 'ru');
    }

    public function testStalenessOverLimitAndNoData(): void
    {
        $now = new \DateTimeImmutable(W::NOW);
        $row = ['UF_CREDIT_LIMIT' => 1000.0, 'UF_CREDIT_USED' => 1500.0, 'UF_CURRENCY' => 'RUB', 'UF_SOURCE_AT' => $now->modify('-6 hours -1 second')];
        $f = FinanceView::shape($row, $now, 6, 'en');
        self::assertTrue($f['STALE']);
        self::assertTrue($f['OVER_LIMIT']);
        self::assertSame(100, $f['PERCENT']);
        self::assertSame('0.00 RUB', $f['AVAILABLE']);
        self::assertSame('', $f['OVERDUE_SINCE']);
        self::assertFalse(FinanceView::shape(['UF_SOURCE_AT' => $now->modify('-6 hours')] + $row, $now, 6, 'en')['STALE']);
        self::assertTrue(FinanceView::shape(['UF_SOURCE_AT' => null] + $row, $now, 6, 'en')['STALE'], 'never said when');
        self::assertFalse(FinanceView::shape(['UF_SOURCE_AT' => $now->modify('-10 hours')] + $row, $now, 12, 'en')['STALE'], 'the limit is a parameter');
        $noLimit = FinanceView::shape(['UF_CREDIT_LIMIT' => null, 'UF_CREDIT_USED' => 10.0, 'UF_SOURCE_AT' => $now], $now, 6, 'en');
        self::assertSame(['', '', 100], [$noLimit['LIMIT'], $noLimit['AVAILABLE'], $noLimit['PERCENT']]);
        self::assertSame(['KNOWN' => false, 'STALE' => true, 'BLOCKED' => false, 'BLOCK_REASON' => ''], FinanceView::shape(null, $now, 6, 'en'));
    }

    public function testTheHeaderPerRole(): void
    {
        $world = new W();
        $routes = new CabinetRoutes('/cabinet/');
        $header = function (int $user, string $page = 'orders') use ($world, $routes): array {
            $cabinet = $world->cabinet();
            return $cabinet->header()->build($cabinet->scope()->current($user), 'ru', $routes, $page);
        };
        $owner = $header(W::OWNER);
        self::assertSame([[2, 'АО «Вектор»', false], [1, 'ООО «Ромашка»', true]], array_map(static fn (array $c): array => array_values($c), $owner['COMPANIES']));
        self::assertSame('Владелец', $owner['ROLE_TITLE']);
        self::assertSame("380\u{00A0}000,50\u{00A0}₽", $owner['FINANCE']['USED']);
        self::assertSame('/cabinet/finance/', $owner['FINANCE']['URL']);
        self::assertSame(['REASON' => 'Долг 25 000 ₽ не оплачен с 30.10.2026'], $owner['BLOCKED']);
        self::assertSame(2, $owner['UNREAD']);
        $buyer = $header(W::BUYER, 'order');
        self::assertNull($buyer['FINANCE'], 'a buyer does not see finance');
        self::assertNotNull($buyer['BLOCKED'], 'but learns that ordering is blocked');
        self::assertSame([['orders', true], ['notifications', false]], array_map(static fn (array $i): array => [$i['PAGE'], $i['ACTIVE']], $buyer['MENU']));
        self::assertNotNull($header(W::ACCOUNTANT, 'documents')['FINANCE']);
        $viewer = $header(W::VIEWER);
        self::assertNull($viewer['FINANCE']);
        self::assertNull($viewer['BLOCKED'], 'a viewer neither orders nor pays');
        self::assertSame(0, $viewer['UNREAD']);
        $world->site->preferences[W::OWNER] = W::OTHER_COMPANY;
        $vector = $header(W::OWNER);
        self::assertNull($vector['FINANCE'], 'a buyer there');
        self::assertNull($vector['BLOCKED']);
    }
}
