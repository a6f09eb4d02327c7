<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\ApprovalStatuses;
use B2bsync\Bridge\Core\BadValue;
use B2bsync\Bridge\Core\CabinetRows;
use B2bsync\Bridge\Core\StatusChangeNote;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/**
 * What b2bsync.order.status.set relies on beyond its contract scenario: the approval statuses
 * option as a table of accepted and refused values, and the status-change note — taken once by
 * the change it describes, gone when the change fails.
 */
final class OrderStatusTest extends TestCase
{
    /** @return array<string, array{0: mixed, 1: ?string, 2?: list<string>}> */
    public static function statuses(): array
    {
        $ok = ['pending' => 'PA', 'approved' => 'AP', 'rejected' => 'RJ', 'next' => 'N'];
        return [
            'the defaults' => [$ok, null, ['AP', 'N', 'PA', 'RJ']],
            'next may be the approved status' => [['next' => 'AP'] + $ok, null, ['AP', 'PA', 'RJ']],
            'a list' => [['PA', 'AP', 'RJ', 'N'], 'VALUE must be an object'],
            'a key missing' => [array_diff_key($ok, ['next' => 1]), 'VALUE must have exactly the keys approved, next, pending, rejected'],
            'a key more' => [$ok + ['extra' => 'X'], 'VALUE must have exactly the keys approved, next, pending, rejected'],
            'lower case' => [['pending' => 'pa'] + $ok, 'VALUE.pending must be a status ID (1-2 of A-Z, 0-9)'],
            'too long' => [['next' => 'NEW'] + $ok, 'VALUE.next must be a status ID (1-2 of A-Z, 0-9)'],
            'not a string' => [['approved' => 7] + $ok, 'VALUE.approved must be a status ID (1-2 of A-Z, 0-9)'],
            'two the same' => [['rejected' => 'AP'] + $ok, 'VALUE: pending, approved and rejected must be three different statuses'],
            'next is pending' => [['next' => 'PA'] + $ok, 'VALUE.next must not be the pending status'],
        ];
    }

    /**
     * @dataProvider statuses
     * @param list<string> $allowed
     */
    public function testTheApprovalStatusesOption(mixed $value, ?string $problem, array $allowed = []): void
    {
        try {
            $parsed = ApprovalStatuses::parse($value);
            self::assertNull($problem, 'accepted');
            self::assertSame($allowed, $parsed->allowed());
        } catch (BadValue $e) {
            self::assertSame($problem, $e->getMessage());
        }
    }

    public function testUnsetOrBrokenMeansNothingIsAllowed(): void
    {
        self::assertSame([], ApprovalStatuses::fromOption('')->allowed());
        self::assertSame([], ApprovalStatuses::fromOption('{"pending":')->allowed());
        self::assertSame(['AP', 'N', 'PA', 'RJ'], ApprovalStatuses::fromOption('{"pending":"PA","approved":"AP","rejected":"RJ","next":"N"}')->allowed());
    }

    public function testANoteIsTakenOnceAndNeverOutlivesItsChange(): void
    {
        $seen = StatusChangeNote::around(7, 'Дорого', 2, static fn (): ?array => StatusChangeNote::take(7));
        self::assertSame(['REASON' => 'Дорого', 'USER_ID' => 2], $seen);
        self::assertNull(StatusChangeNote::take(7));
        self::assertNull(StatusChangeNote::around(8, "  \n ", 0, static fn (): ?array => StatusChangeNote::take(9)), 'another order');
        try {
            StatusChangeNote::around(7, 'x', 2, static function (): void {
                throw new \RuntimeException('the sale module refused');
            });
        } catch (\RuntimeException) {
        }
        self::assertNull(StatusChangeNote::take(7));
        self::assertSame(['REASON' => null, 'USER_ID' => null], StatusChangeNote::around(7, '  ', -1, static fn (): ?array => StatusChangeNote::take(7)));
    }

    public function testTheStatusLogRowGetsTheNotesUserAndReason(): void
    {
        $world = new W();
        StatusChangeNote::around(W::PENDING_ORDER, 'Нет бюджета', W::OWNER, fn () => $world->site->changeStatus(W::PENDING_ORDER, 'RJ', W::MANAGER));
        $rows = $world->cabinet()->rows()->all(CabinetRows::ORDER_EVENTS, ['=UF_ORDER_ID' => W::PENDING_ORDER], ['ID' => 'DESC'], 1);
        self::assertSame(['PA', 'RJ', W::OWNER, 'Нет бюджета'], [$rows[0]['UF_OLD_STATUS'], $rows[0]['UF_NEW_STATUS'], $rows[0]['UF_USER_ID'], $rows[0]['UF_REASON']]);
    }
}
