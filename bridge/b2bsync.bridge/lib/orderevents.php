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
 *
 * A new order is logged with the status it was saved in (recordedStatus()): null → PA when the
 * order guard (CheckoutGuard) held it for approval, although the event says null → N.
 */
final class OrderEvents
{
    public static function onSaleStatusOrderChange(Event $event): EventResult
    {
        try {
            $order = $event->getParameter('ENTITY');
            if (is_object($order) && method_exists($order, 'getField') && Loader::includeModule('highloadblock')) {
                $site = new Site();
                $old = self::status($event->getParameter('OLD_VALUE'));
                (new OrderEventWriter(new HlBlocks(), new Items($site->timezone()), $site))->write(
                    (int)$order->getField('ID'),
                    $old,
                    (string)self::recordedStatus($old, self::status($event->getParameter('VALUE')), self::status($order->getField('STATUS_ID'))),
                    self::actingUser(self::currentUser()),
                );
            }
        } catch (\Throwable $e) {
            Log::error($e, 'order_events');
        }
        return new EventResult(EventResult::SUCCESS, null, 'b2bsync.bridge');
    }

    /**
     * The status a row records as new. For a change, the event's VALUE. For a new order (no
     * OLD_VALUE) the status it was saved in: the sale module sends the first status event queued
     * while the order was built (null → N), also when a handler of OnSaleOrderBeforeSaved (the
     * order guard) then set another status — seen on Business 25.550 — and ENTITY is the saved
     * order by the time the event is sent (OrderBase::save() calls the queued events last).
     */
    public static function recordedStatus(?string $old, ?string $reported, ?string $saved): ?string
    {
        return $old === null && $saved !== null ? $saved : $reported;
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
