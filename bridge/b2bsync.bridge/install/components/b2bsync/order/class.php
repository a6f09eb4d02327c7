<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\Membership;
use B2bsync\Bridge\Core\OrderList;
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
 * b2bsync:order — one order of the current company: basket, status history, its documents,
 * approve / reject with a reason (owners, pending orders), the comment thread, follow. Actions
 * (POST, session-checked): order.approve, order.reject (reason), order.comment (text, internal),
 * order.follow, order.unfollow.
 * Data and rules: B2bsync\Bridge\Core\OrderView.
 */
final class B2bsyncOrderComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'order';
    }

    protected function params(array $params): array
    {
        $params['ORDER_ID'] = self::positive($params['ORDER_ID'] ?? null, 0, 0, PHP_INT_MAX);
        $params['ORDERS_URL'] = trim((string)($params['ORDERS_URL'] ?? '')) ?: '/cabinet/orders/';
        $params['DOCUMENT_URL'] = trim((string)($params['DOCUMENT_URL'] ?? '')) ?: '/cabinet/documents/?download=#DOCUMENT_ID#';
        $params['ARTICLE_PROPERTIES'] = self::codes($params['ARTICLE_PROPERTIES'] ?? null, OrderList::DEFAULT_ARTICLE_PROPERTIES);
        return $params;
    }

    private function orderId(HttpRequest $request): int
    {
        return $this->arParams['ORDER_ID'] ?: self::positive($request->getQuery('ORDER_ID'), 0, 0, PHP_INT_MAX);
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $documentUrl = fn (int $id): string => self::fill($this->arParams['DOCUMENT_URL'], 'DOCUMENT_ID', $id);
        $result = $this->cabinet->orderView()->build($m, $this->orderId($request), $this->lang, $documentUrl, $this->arParams['ARTICLE_PROPERTIES']);
        $this->setTitle((string)Loc::getMessage('B2BSYNC_ORDER_TITLE', ['#NUMBER#' => $result['ORDER']['NUMBER']]));
        return $result + ['ORDERS_URL' => $this->arParams['ORDERS_URL']];
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        $view = $this->cabinet->orderView();
        $orderId = $this->orderId($request);
        switch ($name) {
            case 'approve':
                $view->approve($m, $orderId);
                return 'approved';
            case 'reject':
                $view->reject($m, $orderId, (string)$request->getPost('reason'));
                return 'rejected';
            case 'comment':
                $view->comment($m, $orderId, (string)$request->getPost('text'), $request->getPost('internal') === 'Y');
                return 'commented';
            case 'follow':
                $view->follow($m, $orderId);
                return 'followed';
            case 'unfollow':
                $view->unfollow($m, $orderId);
                return 'unfollowed';
        }
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
