<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\NotificationList;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** Notifications: only the user's own; mark read / all read; the counter pushed after each change. */
final class NotificationListTest extends TestCase
{
    public function testTheUsersNotificationsNewestFirst(): void
    {
        $world = new W();
        $list = $world->cabinet()->notifications()->build(W::BUYER, 1, 'ru', '/cabinet/notifications/');
        self::assertSame([3, 2, 1], array_column($list['NOTIFICATIONS'], 'ID'));
        self::assertSame([false, false, true], array_column($list['NOTIFICATIONS'], 'READ'));
        self::assertSame(2, $list['UNREAD']);
        self::assertSame('/cabinet/orders/1024/', $list['NOTIFICATIONS'][1]['LINK']);
        $olga = $world->cabinet()->notifications()->build(W::OWNER, 1, 'ru', '/cabinet/notifications/');
        $links = array_column($olga['NOTIFICATIONS'], 'LINK', 'ID');
        self::assertSame([5 => null, 4 => '/cabinet/orders/1024/'], $links, 'a javascript: link from a row is dropped');
    }

    public function testMarkReadOwnRowsOnly(): void
    {
        $world = new W();
        $notes = $world->cabinet()->notifications();
        self::assertSame(1, $notes->markRead(W::BUYER, [2]));
        self::assertSame([[W::BUYER, 1]], $world->site->pushes);
        try {
            $world->cabinet()->notifications()->markRead(W::BUYER, [3, 4]);
            self::fail('someone else\'s notification');
        } catch (CabinetDenied $e) {
            self::assertSame(CabinetDenied::NOT_FOUND, $e->reason);
        }
        self::assertSame(1, $world->cabinet()->notifications()->unread(W::BUYER), 'nothing marked when one ID is foreign');
        self::assertSame(2, $world->cabinet()->notifications()->unread(W::OWNER));
        self::assertSame(0, $world->cabinet()->notifications()->markAllRead(W::OWNER));
        self::assertSame(0, $world->cabinet()->notifications()->unread(W::OWNER));
        self::assertSame(1, $world->cabinet()->notifications()->unread(W::BUYER));
        self::assertSame([W::OWNER, 0], array_slice($world->site->pushes, -1)[0]);
    }

    public function testMarkAllReadGoesThroughMoreThanOneBatch(): void
    {
        $world = new W();
        for ($i = 0; $i < 450; $i++) {
            $world->add('B2bNotifications', ['UF_USER_ID' => W::VIEWER, 'UF_TYPE' => 'B2B_ORDER_CREATED', 'UF_TEXT' => "n$i", 'UF_CREATED_AT' => $world->at("-$i minutes"), 'UF_DEDUP_KEY' => "bulk:$i"]);
        }
        self::assertSame(450, $world->cabinet()->notifications()->unread(W::VIEWER), 'UF_IS_READ never written counts as unread');
        self::assertSame(0, $world->cabinet()->notifications()->markAllRead(W::VIEWER));
        $page = $world->cabinet()->notifications()->build(W::VIEWER, 23, 'ru', '/n/');
        self::assertSame(['PAGE' => 23, 'PAGES' => 23, 'TOTAL' => 450, 'PREV' => '/n/?page=22', 'NEXT' => null], $page['PAGING']);
        self::assertCount(10, $page['NOTIFICATIONS']);
    }

    /** @return array<string, array{0: string, 1: ?string}> */
    public static function links(): array
    {
        return [
            'site path' => ['/cabinet/orders/1/', '/cabinet/orders/1/'],
            'https' => ['https://shop.example.ru/x', 'https://shop.example.ru/x'],
            'javascript' => ['javascript:alert(1)', null],
            'data' => ['data:text/html,x', null],
            'protocol-relative' => ['//evil.example/x', null],
            'empty' => ['', null],
        ];
    }

    /** @dataProvider links */
    public function testOnlySafeLinks(string $link, ?string $expected): void
    {
        self::assertSame($expected, NotificationList::safeLink($link));
    }
}
