<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\FinanceView;
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
 * b2bsync:finance — the company's credit position from 1C: limit and used with a bar, overdue
 * and since when, this month's orders, the block, "data updating" when the figures are older than
 * STALE_HOURS. Data: B2bsync\Bridge\Core\FinanceView.
 */
final class B2bsyncFinanceComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'finance';
    }

    protected function params(array $params): array
    {
        $params['STALE_HOURS'] = self::positive($params['STALE_HOURS'] ?? null, FinanceView::DEFAULT_STALE_HOURS, 1, 24 * 30);
        return $params;
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $this->setTitle((string)Loc::getMessage('B2BSYNC_FINANCE_TITLE'));
        return ['FINANCE' => $this->cabinet->finance()->build($m, $this->lang, $this->arParams['STALE_HOURS'])];
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
