<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\CabinetRows;
use Bitrix\Main\Application;
use Bitrix\Main\DI\ServiceLocator;
use Bitrix\Main\Event;
use Bitrix\Main\Loader;

/**
 * The bell's push when b2bsync writes a notification: handlers of the HL-block's own ORM events
 * (B2bNotificationsOnAfterAdd / …OnAfterUpdate, module "", as HL data classes fire them), which
 * the installer registers. When the pull module is installed, the recipient's open pages get the
 * new unread count at once (PeoplePort::pushUnread); without it the bell's 30-second refresh
 * catches up. Never disturbs the write.
 */
final class BellPush
{
    public const EVENTS = ['B2bNotificationsOnAfterAdd', 'B2bNotificationsOnAfterUpdate'];

    public static function onNotificationWritten(Event $event): void
    {
        try {
            if (!Loader::includeModule('pull')) {
                return;
            }
            $cabinet = ServiceLocator::getInstance()->get(CabinetComponent::SERVICE);
            $fields = (array)$event->getParameter('fields');
            $userId = (int)($fields['UF_USER_ID'] ?? 0);
            if ($userId <= 0) {
                $id = $event->getParameter('id');
                $id = is_array($id) ? (int)($id['ID'] ?? 0) : (int)$id;
                $row = $id > 0 ? $cabinet->rows()->get(CabinetRows::NOTIFICATIONS, $id) : null;
                $userId = (int)($row['UF_USER_ID'] ?? 0);
            }
            if ($userId > 0) {
                $cabinet->people()->pushUnread($userId, $cabinet->notifications()->unread($userId));
            }
        } catch (\Throwable $e) {
            Application::getInstance()->getExceptionHandler()->writeToLog($e);
        }
    }
}
