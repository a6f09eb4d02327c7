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
 * b2bsync:orders — the current company's orders (every member's): filters by status, dates,
 * manager and "placed by", search by number and by the article of any basket line, 20 a page.
 * Data and rules: B2bsync\Bridge\Core\OrderList.
 */
final class B2bsyncOrdersComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'orders';
    }

    protected function params(array $params): array
    {
        $params['ORDER_URL'] = trim((string)($params['ORDER_URL'] ?? '')) ?: '?ORDER_ID=#ORDER_ID#';
        $params['ARTICLE_PROPERTIES'] = self::codes($params['ARTICLE_PROPERTIES'] ?? null, OrderList::DEFAULT_ARTICLE_PROPERTIES);
        return $params;
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $this->setTitle((string)Loc::getMessage('B2BSYNC_ORDERS_TITLE'));
        $base = (string)strtok((string)$request->getRequestUri(), '?');
        $orderUrl = fn (int $id): string => self::fill($this->arParams['ORDER_URL'], 'ORDER_ID', $id);
        return $this->cabinet->orderList()->build($m, $request->getQueryList()->toArray(), $this->lang, $base, $orderUrl, $this->arParams['ARTICLE_PROPERTIES']);
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
