<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\CabinetRows;
use B2bsync\Bridge\Core\OrderView;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** One order: what each role sees, and approve / reject / comment checked server-side. */
final class OrderViewTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
    }

    private function view(int $user, int $orderId, string $lang = 'ru'): array
    {
        $cabinet = $this->world->cabinet();
        return $cabinet->orderView()->build($cabinet->scope()->current($user), $orderId, $lang, static fn (int $id): string => "/cabinet/documents/?download=$id");
    }

    private function act(int $user, callable $action): void
    {
        $cabinet = $this->world->cabinet();
        $action($cabinet->orderView(), $cabinet->scope()->current($user));
    }

    private function denied(string $reason, callable $call): void
    {
        try {
            $call();
            self::fail("expected CabinetDenied($reason)");
        } catch (CabinetDenied $e) {
            self::assertSame($reason, $e->reason, $e->getMessage());
        }
    }

    /** @return list<array<string, mixed>> */
    private function rows(string $table): array
    {
        return $this->world->cabinet()->rows()->all($table, [], ['ID' => 'ASC'], 1000);
    }

    public function testBasketHistoryAndTheRejectionReason(): void
    {
        $old = $this->view(W::BUYER, W::OLD_ORDER);
        self::assertSame(['PAP-A4', W::ARTICLE], array_column($old['BASKET'], 'ARTICLE'), 'the article property before the XML_ID');
        self::assertSame('4 шт', $old['BASKET'][1]['QUANTITY']);
        self::assertSame("35\u{00A0}600,00\u{00A0}₽", $old['BASKET'][1]['SUM']);
        $rejected = $this->view(W::OWNER, W::REJECTED_ORDER);
        self::assertSame(['', 'Принят', 'Ожидает согласования'], array_column($rejected['HISTORY'], 'FROM'));
        self::assertSame(['', '', 'Дорого, закажем у другого поставщика'], array_column($rejected['HISTORY'], 'REASON'));
        self::assertSame(['Ольга Владимирова', '', 'Ольга Владимирова'], array_column($rejected['HISTORY'], 'USER'));
        self::assertSame('rejected', $rejected['ORDER']['APPROVAL']);
        $en = $this->view(W::OWNER, W::REJECTED_ORDER, 'en');
        self::assertSame(['Accepted', 'Approval pending', 'Rejected'], array_column($en['HISTORY'], 'TO'));
    }

    public function testDocumentsOnlyForRolesThatSeeThem(): void
    {
        self::assertNull($this->view(W::BUYER, W::PENDING_ORDER)['DOCUMENTS']);
        self::assertNull($this->view(W::VIEWER, W::PENDING_ORDER)['DOCUMENTS']);
        $owner = $this->view(W::OWNER, W::PENDING_ORDER)['DOCUMENTS'];
        self::assertSame([['ID' => 1, 'TYPE' => 'invoice', 'NUMBER' => 'СЧ-00412', 'URL' => '/cabinet/documents/?download=1']], array_map(static fn (array $d): array => array_intersect_key($d, array_flip(['ID', 'TYPE', 'NUMBER', 'URL'])), $owner));
        $this->denied(CabinetDenied::CAPABILITY, fn () => $this->view(W::ACCOUNTANT, W::PENDING_ORDER));
    }

    public function testInternalCommentsAreForManagersOnly(): void
    {
        $buyer = $this->view(W::BUYER, W::PENDING_ORDER);
        self::assertSame(['Нужно до пятницы, склад пуст.', 'Резерв на складе до пятницы держим.'], array_column($buyer['COMMENTS'], 'TEXT'));
        self::assertFalse($buyer['CAN_INTERNAL']);
        self::assertTrue($buyer['CAN_COMMENT']);
        $this->world->member(W::COMPANY, W::MANAGER, 'viewer');
        $manager = $this->view(W::MANAGER, W::PENDING_ORDER);
        self::assertSame([false, true, false], array_column($manager['COMMENTS'], 'INTERNAL'));
        self::assertTrue($manager['CAN_INTERNAL']);
        self::assertTrue($manager['CAN_COMMENT'], 'a manager answers even as a viewer');
        self::assertFalse($this->view(W::VIEWER, W::PENDING_ORDER)['CAN_COMMENT']);
    }

    public function testOnlyAnOwnerSeesApprovalAndOnlyWhilePending(): void
    {
        self::assertTrue($this->view(W::OWNER, W::PENDING_ORDER)['CAN_APPROVE']);
        self::assertFalse($this->view(W::OWNER, W::APPROVED_ORDER)['CAN_APPROVE']);
        foreach ([W::BUYER, W::VIEWER] as $user) {
            self::assertFalse($this->view($user, W::PENDING_ORDER)['CAN_APPROVE']);
        }
    }

    public function testAnOwnerApproves(): void
    {
        $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->approve($m, W::PENDING_ORDER));
        self::assertSame('AP', $this->world->site->orders[W::PENDING_ORDER]['STATUS_ID']);
        $last = array_slice($this->rows(CabinetRows::ORDER_EVENTS), -1)[0];
        self::assertSame([W::PENDING_ORDER, 'PA', 'AP', W::OWNER], [$last['UF_ORDER_ID'], $last['UF_OLD_STATUS'], $last['UF_NEW_STATUS'], $last['UF_USER_ID']]);
        self::assertSame('approved', $this->view(W::BUYER, W::PENDING_ORDER)['ORDER']['APPROVAL']);
        $this->denied(CabinetDenied::CONFLICT, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->approve($m, W::PENDING_ORDER)));
    }

    public function testACancelledOrderIsNotDecidedEvenWhilePending(): void
    {
        $this->world->site->orders[W::PENDING_ORDER]['CANCELED'] = true;
        $events = count($this->rows(CabinetRows::ORDER_EVENTS));
        self::assertFalse($this->view(W::OWNER, W::PENDING_ORDER)['CAN_APPROVE']);
        $this->denied(CabinetDenied::CONFLICT, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->approve($m, W::PENDING_ORDER)));
        $this->denied(CabinetDenied::CONFLICT, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, 'нет')));
        self::assertSame('PA', $this->world->site->orders[W::PENDING_ORDER]['STATUS_ID']);
        self::assertCount($events, $this->rows(CabinetRows::ORDER_EVENTS));
    }

    public function testNobodyElseDecidesWhateverThePageShowed(): void
    {
        $events = count($this->rows(CabinetRows::ORDER_EVENTS));
        foreach ([W::BUYER, W::VIEWER, W::ACCOUNTANT] as $user) {
            $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act($user, static fn (OrderView $v, $m) => $v->approve($m, W::PENDING_ORDER)));
            $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act($user, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, 'нет')));
        }
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->act(W::OTHER_OWNER, static fn (OrderView $v, $m) => $v->approve($m, W::PENDING_ORDER)));
        self::assertSame('PA', $this->world->site->orders[W::PENDING_ORDER]['STATUS_ID']);
        self::assertCount($events, $this->rows(CabinetRows::ORDER_EVENTS));
    }

    public function testARejectionStoresItsReasonInTheStatusLog(): void
    {
        $comments = count($this->rows(CabinetRows::COMMENTS));
        $this->denied(CabinetDenied::INVALID, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, "  \n ")));
        $this->denied(CabinetDenied::INVALID, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, str_repeat('я', 1001))));
        self::assertSame('PA', $this->world->site->orders[W::PENDING_ORDER]['STATUS_ID'], 'no reason, no change');
        $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, "Просрочка по оплате.\r\nСначала оплата."));
        self::assertSame('RJ', $this->world->site->orders[W::PENDING_ORDER]['STATUS_ID']);
        self::assertCount($comments, $this->rows(CabinetRows::COMMENTS), 'the reason is no comment');
        $last = array_slice($this->rows(CabinetRows::ORDER_EVENTS), -1)[0];
        self::assertSame([W::PENDING_ORDER, 'PA', 'RJ', W::OWNER, "Просрочка по оплате.\nСначала оплата."], [$last['UF_ORDER_ID'], $last['UF_OLD_STATUS'], $last['UF_NEW_STATUS'], $last['UF_USER_ID'], $last['UF_REASON']]);
        $history = $this->view(W::BUYER, W::PENDING_ORDER)['HISTORY'];
        self::assertSame("Просрочка по оплате.\nСначала оплата.", array_slice($history, -1)[0]['REASON']);
        // the note was for that change only: the next one carries no reason
        $this->world->site->changeStatus(W::PENDING_ORDER, 'PA', W::MANAGER);
        self::assertNull(array_slice($this->rows(CabinetRows::ORDER_EVENTS), -1)[0]['UF_REASON']);
    }

    public function testARefusedStatusChangeWritesNoReason(): void
    {
        $this->world->site->beforeStatusChange = static function (): void {
            throw new CabinetDenied(CabinetDenied::CONFLICT, 'the order is being edited');
        };
        $events = count($this->rows(CabinetRows::ORDER_EVENTS));
        $this->denied(CabinetDenied::CONFLICT, fn () => $this->act(W::OWNER, static fn (OrderView $v, $m) => $v->reject($m, W::PENDING_ORDER, 'Дорого')));
        self::assertCount($events, $this->rows(CabinetRows::ORDER_EVENTS));
        $this->world->site->beforeStatusChange = null;
        $this->world->site->changeStatus(W::PENDING_ORDER, 'N', W::MANAGER);
        $last = array_slice($this->rows(CabinetRows::ORDER_EVENTS), -1)[0];
        self::assertSame([W::MANAGER, null], [$last['UF_USER_ID'], $last['UF_REASON']], 'a refused change leaves no note behind');
    }

    public function testFollowAndUnfollow(): void
    {
        $followers = fn (): array => array_map(static fn (array $r): array => [$r['UF_ORDER_ID'], $r['UF_USER_ID']], $this->rows(CabinetRows::FOLLOWERS));
        $viewer = $this->view(W::VIEWER, W::PENDING_ORDER);
        self::assertSame([true, false], [$viewer['CAN_FOLLOW'], $viewer['FOLLOWING']]);
        self::assertFalse($this->view(W::BUYER, W::PENDING_ORDER)['CAN_FOLLOW'], 'the author hears of the order anyway');
        $this->act(W::VIEWER, static fn (OrderView $v, $m) => $v->follow($m, W::PENDING_ORDER));
        $this->act(W::VIEWER, static fn (OrderView $v, $m) => $v->follow($m, W::PENDING_ORDER));
        self::assertSame([[W::PENDING_ORDER, W::VIEWER]], $followers(), 'once');
        self::assertTrue($this->view(W::VIEWER, W::PENDING_ORDER)['FOLLOWING']);
        $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act(W::ACCOUNTANT, static fn (OrderView $v, $m) => $v->follow($m, W::PENDING_ORDER)));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->act(W::VIEWER, static fn (OrderView $v, $m) => $v->follow($m, W::OTHER_ORDER)));
        $this->act(W::VIEWER, static fn (OrderView $v, $m) => $v->unfollow($m, W::PENDING_ORDER));
        self::assertSame([], $followers());
        self::assertFalse($this->view(W::VIEWER, W::PENDING_ORDER)['FOLLOWING']);
    }

    public function testComments(): void
    {
        $before = count($this->rows(CabinetRows::COMMENTS));
        $this->act(W::BUYER, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, 'Где накладная?', false));
        $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act(W::BUYER, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, 'x', true)));
        $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act(W::VIEWER, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, 'x', false)));
        $this->denied(CabinetDenied::CAPABILITY, fn () => $this->act(W::ACCOUNTANT, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, 'x', false)));
        $this->denied(CabinetDenied::INVALID, fn () => $this->act(W::BUYER, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, str_repeat('я', 2001), false)));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->act(W::BUYER, static fn (OrderView $v, $m) => $v->comment($m, W::OTHER_ORDER, 'x', false)));
        $this->world->member(W::COMPANY, W::MANAGER, 'viewer');
        $this->act(W::MANAGER, static fn (OrderView $v, $m) => $v->comment($m, W::OLD_ORDER, 'Отгружено.', true));
        $rows = array_slice($this->rows(CabinetRows::COMMENTS), $before);
        self::assertSame([['Где накладная?', 0, W::BUYER], ['Отгружено.', 1, W::MANAGER]], array_map(static fn (array $r): array => [$r['UF_TEXT'], $r['UF_IS_INTERNAL'], $r['UF_USER_ID']], $rows));
        self::assertEquals(new \DateTimeImmutable(W::NOW), $rows[0]['UF_CREATED_AT']);
    }

    public function testTheReasonPairingRule(): void
    {
        $at = new \DateTimeImmutable(W::NOW);
        $event = ['UF_USER_ID' => 2, 'UF_CREATED_AT' => $at];
        $comment = static fn (int $user, string $shift, int $internal = 0, string $text = 'why'): array => ['UF_USER_ID' => $user, 'UF_CREATED_AT' => $at->modify($shift), 'UF_IS_INTERNAL' => $internal, 'UF_TEXT' => $text];
        self::assertSame('after', OrderView::reason($event, [$comment(2, '-200 seconds', 0, 'before'), $comment(2, '+1 second', 0, 'after')])['UF_TEXT']);
        self::assertNull(OrderView::reason($event, [$comment(2, '-301 seconds')]), 'too long before');
        self::assertNull(OrderView::reason($event, [$comment(3, '+1 second')]), 'someone else');
        self::assertNull(OrderView::reason($event, [$comment(2, '+1 second', 1)]), 'internal');
        self::assertNull(OrderView::reason(['UF_USER_ID' => null, 'UF_CREATED_AT' => $at], [$comment(2, '+1 second')]), 'an agent');
    }
}
