<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** The company's orders: every member's, filtered, searched by number and article, paged. */
final class OrderListTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
    }

    /** @param array<string, mixed> $get */
    private function list(int $user, array $get, string $lang = 'ru'): array
    {
        $cabinet = $this->world->cabinet();
        $m = $cabinet->scope()->current($user);
        return $cabinet->orderList()->build($m, $get, $lang, '/cabinet/orders/', static fn (int $id): string => "/cabinet/orders/$id/");
    }

    private static function ids(array $result): array
    {
        return array_column($result['ORDERS'], 'ID');
    }

    public function testTheCompanysOrdersNewestFirstTwentyAPage(): void
    {
        $first = $this->list(W::BUYER, []);
        self::assertSame(range(1025, 1006, -1), self::ids($first));
        self::assertSame(['PAGE' => 1, 'PAGES' => 2, 'TOTAL' => 25, 'PREV' => null, 'NEXT' => '/cabinet/orders/?page=2'], $first['PAGING']);
        $second = $this->list(W::BUYER, ['page' => '2']);
        self::assertSame(range(1005, 1001, -1), self::ids($second));
        self::assertSame('/cabinet/orders/', $second['PAGING']['PREV']);
        $authors = array_unique(array_column($first['ORDERS'], 'AUTHOR'));
        sort($authors);
        self::assertSame(['Борис Закупкин', 'Дмитрий Бывший', 'Ольга Владимирова'], $authors, 'every member\'s orders, a former member\'s too');
    }

    public function testRowsCarryStatusTotalAuthorAndApproval(): void
    {
        $rows = array_column($this->list(W::OWNER, [])['ORDERS'], null, 'ID');
        self::assertSame(['pending', 'rejected', 'approved', null], [$rows[1024]['APPROVAL'], $rows[1023]['APPROVAL'], $rows[1022]['APPROVAL'], $rows[1021]['APPROVAL']]);
        self::assertSame('Ожидает согласования', $rows[1024]['STATUS']);
        self::assertSame('RM-1024', $rows[1024]['NUMBER']);
        self::assertSame('/cabinet/orders/1024/', $rows[1024]['URL']);
        self::assertSame("3\u{00A0}540,00\u{00A0}₽", $rows[1024]['TOTAL']);
        self::assertSame('16.11.2026', $rows[1024]['DATE']);
        self::assertSame('Мария Менеджерова', $rows[1024]['MANAGER']);
        $en = array_column($this->list(W::OWNER, [], 'en')['ORDERS'], null, 'ID');
        self::assertSame('3,540.00 RUB', $en[1024]['TOTAL']);
        self::assertSame('2026-11-16', $en[1024]['DATE']);
        self::assertSame('Approval pending', $en[1024]['STATUS']);
    }

    public function testSearchByArticleFindsTheOldOrderAndNothingOfAnotherCompany(): void
    {
        foreach (['ART-7731', 'art-7731', ' ART-7731 '] as $article) {
            $found = $this->list(W::BUYER, ['article' => $article]);
            self::assertSame([W::OLD_ORDER], self::ids($found), $article);
            self::assertTrue($found['SEARCHED']);
        }
        self::assertSame([1001], self::ids($this->list(W::BUYER, ['article' => 'c3f1-77'])), 'the product XML_ID counts too');
        self::assertSame([], self::ids($this->list(W::BUYER, ['article' => 'ART-77'])), 'an article is matched whole');
        $this->world->site->preferences[W::OWNER] = W::OTHER_COMPANY;
        self::assertSame([W::OTHER_ORDER], self::ids($this->list(W::OWNER, ['article' => 'ART-7731'])));
    }

    public function testFilters(): void
    {
        self::assertSame([1024], self::ids($this->list(W::BUYER, ['status' => 'PA'])));
        self::assertSame([1024, 1023], self::ids($this->list(W::BUYER, ['status' => ['PA', 'rj']])));
        self::assertSame([1024], self::ids($this->list(W::BUYER, ['number' => 'rm-1024'])));
        self::assertSame(range(1019, 1010, -1), self::ids($this->list(W::BUYER, ['number' => 'RM-101'])));
        $dmitry = self::ids($this->list(W::BUYER, ['author' => (string)W::FORMER]));
        self::assertSame([1023, 1019, 1015, 1011, 1007, 1003], $dmitry);
        self::assertSame(25, $this->list(W::BUYER, ['manager' => (string)W::MANAGER])['PAGING']['TOTAL']);
        self::assertSame([], self::ids($this->list(W::BUYER, ['manager' => '3'])));
        self::assertSame([1025, 1024], self::ids($this->list(W::BUYER, ['from' => '2026-11-16', 'to' => '2026-11-20'])), 'the "to" day included');
        self::assertSame([1024, 1023], self::ids($this->list(W::BUYER, ['from' => '2026-11-12', 'to' => '2026-11-16'])));
    }

    public function testAFilterThatCannotBeReadIsAnErrorNotEveryOrder(): void
    {
        foreach ([['from' => '16.11.2026'], ['to' => '2026-02-30'], ['author' => 'Boris'], ['status' => '<b>'], ['from' => '2026-11-20', 'to' => '2026-11-10'], ['article' => str_repeat('A', 101)]] as $get) {
            $result = $this->list(W::BUYER, $get);
            self::assertNotSame([], $result['ERRORS'], json_encode($get));
            self::assertSame([], $result['ORDERS'], json_encode($get));
        }
    }

    public function testFilterOptions(): void
    {
        $result = $this->list(W::BUYER, ['manager' => '6']);
        self::assertSame(['N', 'PA', 'AP', 'RJ', 'P', 'F'], array_column($result['STATUSES'], 'ID'));
        self::assertSame(['Анна Счётова', 'Борис Закупкин', 'Виктор Смотров', 'Дмитрий Бывший', 'Ольга Владимирова'], array_column($result['AUTHORS'], 'NAME'));
        self::assertSame([['ID' => 6, 'NAME' => 'Мария Менеджерова']], $result['MANAGERS']);
        self::assertSame(['manager' => '6', 'status' => []], $result['FILTER']);
    }

    public function testWhoMaySeeOrders(): void
    {
        foreach ([W::OWNER, W::BUYER, W::VIEWER] as $user) {
            self::assertCount(20, $this->list($user, [])['ORDERS']);
        }
        $this->expectException(CabinetDenied::class);
        $this->list(W::ACCOUNTANT, []);
    }
}
