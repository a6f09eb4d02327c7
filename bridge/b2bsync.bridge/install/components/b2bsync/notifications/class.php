<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\Cabinet;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\Membership;
use Bitrix\Main\HttpRequest;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
if (!Loader::includeModule('b2bsync.bridge')) {
    return;
}
Loc::loadMessages(__FILE__);

/**
 * b2bsync:notifications — the user's notifications, newest first; "mark read" and "mark all
 * read" as plain forms (notifications.read, notifications.read_all), the same the bell's
 * controller actions do by AJAX. Data and rules: B2bsync\Bridge\Core\NotificationList.
 */
final class B2bsyncNotificationsComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'notifications';
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $this->setTitle((string)Loc::getMessage('B2BSYNC_NOTIFICATIONS_TITLE'));
        $base = (string)strtok((string)$request->getRequestUri(), '?');
        return $this->cabinet->notifications()->build($this->userId, Cabinet::pageNumber($request->getQuery('page')), $this->lang, $base);
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        $list = $this->cabinet->notifications();
        switch ($name) {
            case 'read':
                $list->markRead($this->userId, [self::positive($request->getPost('id'), 0, 0, PHP_INT_MAX)]);
                return 'read';
            case 'read_all':
                $list->markAllRead($this->userId);
                return 'read_all';
        }
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
