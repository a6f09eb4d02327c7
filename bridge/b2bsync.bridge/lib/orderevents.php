<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\OrderEventWriter;
use Bitrix\Main\Engine\CurrentUser;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Main\Loader;

/**
 * Handler of the sale module's D7 event OnSaleStatusOrderChange (parameters ENTITY: the order,
 * VALUE: the new status, OLD_VALUE: the old one), registered by the installer. It writes one
 * b2b_order_events row per change and never fails the order's save (a failure goes to the log).
 *
 * The acting user is the current session's user, else nobody (agents, the 1C exchange). Never
 * the order's EMP_STATUS_ID: Bitrix updates it only when a user is logged in, so after an agent's
 * change it still names whoever changed the status before (seen on Business 25.550: an agent's
 * PA → AP credited to user 1).
 */
final class OrderEvents
{
    public static function onSaleStatusOrderChange(Event $event): EventResult
    {
        try {
            $order = $event->getParameter('ENTITY');
            if (is_object($order) && method_exists($order, 'getField') && Loader::includeModule('highloadblock')) {
                $site = new Site();
                (new OrderEventWriter(new HlBlocks(), new Items($site->timezone()), $site))->write(
                    (int)$order->getField('ID'),
                    self::status($event->getParameter('OLD_VALUE')),
                    (string)self::status($event->getParameter('VALUE')),
                    self::actingUser(self::currentUser()),
                );
            }
        } catch (\Throwable $e) {
            Log::error($e, 'order_events');
        }
        return new EventResult(EventResult::SUCCESS, null, 'b2bsync.bridge');
    }

    /** The session's user ID, or null when nobody is logged in. */
    public static function actingUser(?object $currentUser): ?int
    {
        $id = $currentUser !== null && method_exists($currentUser, 'getId') ? (int)$currentUser->getId() : 0;
        return $id > 0 ? $id : null;
    }

    private static function currentUser(): ?object
    {
        try {
            return CurrentUser::get();
        } catch (\Throwable) {
            return null;
        }
    }

    private static function status(mixed $value): ?string
    {
        return is_scalar($value) && (string)$value !== '' ? (string)$value : null;
    }
}
