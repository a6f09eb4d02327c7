<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\CheckoutGuard;
use B2bsync\Bridge\Core\GuardReader;
use B2bsync\Bridge\OrderEvents;
use B2bsync\Bridge\Tests\Support\CabinetWorld;
use B2bsync\Bridge\Tests\Support\MemorySite;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Sale\OrderBase;
use Bitrix\Sale\PropertyValue;
use Bitrix\Sale\PropertyValueCollection;
use Bitrix\Sale\ResultError;
use PHPUnit\Framework\TestCase;

/**
 * The order guard's handler (CheckoutGuard) over a double of the sale module's order
 * (tests/site/sale.php) and a CabinetWorld: ООО «Ромашка» (company 1) blocks orders for overdue
 * debt, АО «Вектор» (company 2) does not; Olga (2) owns the first and buys for the second. What
 * the handler writes into the order (B2B_COMPANY_ID, STATUS_ID) and what it answers the sale
 * module (EventResult::ERROR with a ResultError the checkout shows) — and the status log's first
 * row for a new order.
 */
final class CheckoutGuardTest extends TestCase
{
    private CabinetWorld $world;

    public static function setUpBeforeClass(): void
    {
        require_once __DIR__ . '/site/bitrix.php';
        require_once __DIR__ . '/site/sale.php';
    }

    protected function setUp(): void
    {
        $this->world = new CabinetWorld();
        $this->world->call('b2bsync.option.set', ['NAME' => 'guard', 'VALUE' => [
            'version' => 1, 'pending_status' => 'PA', 'over_credit' => 'approval', 'when_blocked' => 'refuse',
        ]]);
    }

    private function reader(?MemorySite $site = null): GuardReader
    {
        $site ??= $this->world->site;
        return new GuardReader($site, $site, $site, $site, $site->timezone());
    }

    private static function order(float $price, bool $b2b = true): OrderBase
    {
        return new OrderBase(new PropertyValueCollection($b2b ? [new PropertyValue('INN'), new PropertyValue('B2B_COMPANY_ID')] : [new PropertyValue('FIO')]), $price);
    }

    private function guard(OrderBase $order, ?int $user, string $lang = 'ru', ?GuardReader $reader = null): EventResult
    {
        $texts = [];
        foreach (['ru', 'en'] as $l) {
            $MESS = [];
            include dirname(__DIR__) . "/b2bsync.bridge/lang/$l/lib/checkoutguard.php";
            $texts[$l] = $MESS;
        }
        return CheckoutGuard::guard($order, $reader ?? $this->reader(), $user, $lang, static fn (string $key, array $replace = []): string => strtr($texts[$lang][$key] ?? '', $replace));
    }

    private static function link(OrderBase $order): mixed
    {
        return $order->getPropertyCollection()->getItemByOrderPropertyCode('B2B_COMPANY_ID')?->value;
    }

    public function testABuyerOfAnUnblockedCompanyGetsTheLinkAndKeepsTheStatus(): void
    {
        $this->world->site->setPreferredCompany(CabinetWorld::OWNER, CabinetWorld::OTHER_COMPANY);
        $order = self::order(5000);
        $result = $this->guard($order, CabinetWorld::OWNER);
        self::assertSame(EventResult::SUCCESS, $result->getType());
        self::assertSame('2', self::link($order));
        self::assertSame('N', $order->getField('STATUS_ID'));
        self::assertNull($order->getPropertyCollection()->getItemByOrderPropertyCode('INN')->value);
    }

    public function testAnOrderNeedingApprovalIsSavedPending(): void
    {
        $this->world->site->setPreferredCompany(CabinetWorld::OWNER, CabinetWorld::OTHER_COMPANY);
        // АО «Вектор» has 100000 − 10000 available
        $order = self::order(90000.01);
        self::assertSame(EventResult::SUCCESS, $this->guard($order, CabinetWorld::OWNER)->getType());
        self::assertSame('2', self::link($order));
        self::assertSame('PA', $order->getField('STATUS_ID'));
    }

    public function testABlockedCompanyRefusesWithTheTextTheCheckoutShows(): void
    {
        $order = self::order(100);
        $result = $this->guard($order, CabinetWorld::BUYER);
        self::assertSame(EventResult::ERROR, $result->getType());
        $error = $result->getParameters();
        self::assertInstanceOf(ResultError::class, $error);
        self::assertSame('B2BSYNC_COMPANY_BLOCKED', $error->getCode());
        self::assertSame('Заказы компании ООО «Ромашка» приостановлены: Долг 25 000 ₽ не оплачен с 30.10.2026. Обратитесь к вашему менеджеру.', $error->getMessage());
        self::assertNull(self::link($order), 'a refused order is not touched');
        self::assertSame('N', $order->getField('STATUS_ID'));
    }

    public function testTheRefusalIsInThePagesLanguage(): void
    {
        $result = $this->guard(self::order(100), CabinetWorld::ACCOUNTANT, 'en');
        self::assertSame('Your role in ООО «Ромашка» (Accountant) may not place orders. Please ask an owner of your company\'s account.', $result->getParameters()->getMessage());
        self::assertSame('B2BSYNC_ROLE_MAY_NOT_ORDER', $result->getParameters()->getCode());
    }

    public function testRetailBuyersTheServiceUserAndPrivatePurchasesPass(): void
    {
        foreach ([[null, true], [CabinetWorld::MANAGER, true], [999, true], [CabinetWorld::FORMER, true], [CabinetWorld::BUYER, false]] as [$user, $b2b]) {
            $order = self::order(100, $b2b);
            self::assertSame(EventResult::SUCCESS, $this->guard($order, $user)->getType(), (string)$user);
            self::assertSame('N', $order->getField('STATUS_ID'));
            if ($b2b) {
                self::assertNull(self::link($order));
            }
        }
    }

    public function testWithoutTheGuardOptionNothingIsDecided(): void
    {
        unset($this->world->site->options['guard']);
        $order = self::order(100);
        self::assertSame(EventResult::SUCCESS, $this->guard($order, CabinetWorld::BUYER)->getType());
        self::assertNull(self::link($order));
    }

    public function testASiteWithoutTheSchemaLetsOrdersPass(): void
    {
        $site = new MemorySite(new \DateTimeImmutable(CabinetWorld::NOW));
        $site->options['roles'] = (string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/roles.json');
        $site->options['guard'] = '{"version":1,"pending_status":"PA","over_credit":"refuse","when_blocked":"refuse"}';
        $order = self::order(100);
        self::assertSame(EventResult::SUCCESS, $this->guard($order, CabinetWorld::BUYER, 'ru', $this->reader($site))->getType());
        self::assertNull(self::link($order));
    }

    public function testAStatusTheSaleModuleRefusesRefusesTheOrder(): void
    {
        $this->world->site->setPreferredCompany(CabinetWorld::OWNER, CabinetWorld::OTHER_COMPANY);
        $order = self::order(95000);
        $order->refuse['STATUS_ID'] = 'Статус PA недоступен';
        $result = $this->guard($order, CabinetWorld::OWNER);
        self::assertSame(EventResult::ERROR, $result->getType());
        self::assertSame(CheckoutGuard::FAILED, $result->getParameters()->getCode());
        self::assertSame('Заказ не удалось оформить: Статус PA недоступен Обратитесь к вашему менеджеру.', $result->getParameters()->getMessage());
    }

    public function testAnExistingOrderIsNeverGuarded(): void
    {
        $order = self::order(100);
        $order->new = false;
        $result = CheckoutGuard::onSaleOrderBeforeSaved(new Event('sale', 'OnSaleOrderBeforeSaved', ['ENTITY' => $order]));
        self::assertSame(EventResult::SUCCESS, $result->getType());
        self::assertSame('b2bsync.bridge', $result->getModuleId());
        self::assertNull(self::link($order));
    }

    public function testTheStatusLogRecordsTheStatusANewOrderWasSavedIn(): void
    {
        self::assertSame('PA', OrderEvents::recordedStatus(null, 'N', 'PA'), 'the guard saved it pending; the event says N');
        self::assertSame('N', OrderEvents::recordedStatus(null, 'N', 'N'));
        self::assertSame('N', OrderEvents::recordedStatus(null, 'N', null));
        self::assertSame('AP', OrderEvents::recordedStatus('PA', 'AP', 'F'), 'a change is what the event says');
        $source = (string)file_get_contents(dirname(__DIR__) . '/b2bsync.bridge/lib/orderevents.php');
        self::assertStringContainsString("self::recordedStatus(\$old, self::status(\$event->getParameter('VALUE')), self::status(\$order->getField('STATUS_ID')))", $source);
    }
}
