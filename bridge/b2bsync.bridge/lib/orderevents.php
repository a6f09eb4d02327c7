<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\OrderEventWriter;
use Bitrix\Main\Application;
use Bitrix\Main\Engine\CurrentUser;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Main\Loader;

/**
 * Handler of the sale module's D7 event OnSaleStatusOrderChange (parameters ENTITY: the order,
 * VALUE: the new status, OLD_VALUE: the old one), registered by the installer. It writes one
 * b2b_order_events row per change; the acting user is the order's EMP_STATUS_ID, else the
 * logged-in user, else nobody (agents, the 1C exchange). It never fails the order's save.
 */
final class OrderEvents
{
    public static function onSaleStatusOrderChange(Event $event): EventResult
    {
        try {
            $order = $event->getParameter('ENTITY');
            if (is_object($order) && method_exists($order, 'getField') && Loader::includeModule('highloadblock')) {
                $userId = (int)$order->getField('EMP_STATUS_ID');
                if ($userId <= 0) {
                    $userId = self::currentUserId();
                }
                $site = new Site();
                (new OrderEventWriter(new HlBlocks(), new Items($site->timezone()), $site))->write(
                    (int)$order->getField('ID'),
                    self::status($event->getParameter('OLD_VALUE')),
                    (string)self::status($event->getParameter('VALUE')),
                    $userId > 0 ? $userId : null,
                );
            }
        } catch (\Throwable $e) {
            Application::getInstance()->getExceptionHandler()->writeToLog($e);
        }
        return new EventResult(EventResult::SUCCESS, null, 'b2bsync.bridge');
    }

    private static function currentUserId(): int
    {
        try {
            return (int)CurrentUser::get()->getId();
        } catch (\Throwable) {
            return 0;
        }
    }

    private static function status(mixed $value): ?string
    {
        return is_scalar($value) && (string)$value !== '' ? (string)$value : null;
    }
}
