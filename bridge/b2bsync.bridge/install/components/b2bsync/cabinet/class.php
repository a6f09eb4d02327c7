<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\CabinetRoutes;
use B2bsync\Bridge\Core\DocumentList;
use B2bsync\Bridge\Core\FinanceView;
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
 * b2bsync:cabinet — the complex component: SEF routes (B2bsync\Bridge\Core\CabinetRoutes, the
 * one declaration .parameters.php shows too) to one page file per route, each of which includes
 * the header and the page's own component. The header: company switcher (action
 * cabinet.switch, kept per user), finance summary, blocked-orders banner, notification bell
 * (refreshed every BELL_REFRESH seconds by the controller action b2bsync:bridge.bell.counter,
 * and pushed by the pull module when it is installed).
 */
final class B2bsyncCabinetComponent extends CabinetComponent
{
    public const BELL_ACTION = 'b2bsync:bridge.bell.counter';
    public const AJAX_URL = '/bitrix/services/main/ajax.php';

    private ?string $pageFile = null;

    protected function actionPrefix(): string
    {
        return 'cabinet';
    }

    protected function params(array $params): array
    {
        $folder = trim((string)($params['SEF_FOLDER'] ?? ''));
        if ($folder === '') {
            global $APPLICATION;
            $folder = (string)$APPLICATION->GetCurDir();
        }
        $params['SEF_FOLDER'] = CabinetRoutes::folder($folder);
        $params['SEF_URL_TEMPLATES'] = is_array($params['SEF_URL_TEMPLATES'] ?? null) ? $params['SEF_URL_TEMPLATES'] : [];
        $params['ARTICLE_PROPERTIES'] = self::codes($params['ARTICLE_PROPERTIES'] ?? null, OrderList::DEFAULT_ARTICLE_PROPERTIES);
        $params['STALE_HOURS'] = self::positive($params['STALE_HOURS'] ?? null, FinanceView::DEFAULT_STALE_HOURS, 1, 24 * 30);
        $params['BELL_REFRESH'] = self::positive($params['BELL_REFRESH'] ?? null, 30, 5, 3600);
        $prefix = trim((string)($params['UPLOAD_PREFIX'] ?? ''));
        $params['UPLOAD_PREFIX'] = preg_match('~\A/[A-Za-z0-9_/\-]+\z~', $prefix) === 1 ? $prefix : DocumentList::DEFAULT_UPLOAD_PREFIX;
        return $params;
    }

    private function routes(): CabinetRoutes
    {
        return new CabinetRoutes($this->arParams['SEF_FOLDER'], $this->arParams['SEF_URL_TEMPLATES']);
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $routes = $this->routes();
        $access = $this->cabinet->access();
        $parsed = $routes->parse((string)$request->getRequestUri());
        [$page, $variables] = $parsed ?? [null, []];
        if ($page === CabinetRoutes::INDEX) {
            $page = CabinetRoutes::landing($access, $m->role);
        }
        $this->arResult['HEADER'] = $this->cabinet->header()->build($m, $this->lang, $routes, (string)$page, $this->arParams['STALE_HOURS']);
        $this->arResult['BELL'] = [
            'URL' => self::AJAX_URL . '?action=' . self::BELL_ACTION,
            'REFRESH' => $this->arParams['BELL_REFRESH'],
        ];
        $this->arResult['SWITCH_URL'] = (string)$request->getRequestUri();
        if ($page === null) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, 'page');
        }
        if (!CabinetRoutes::allowed($access, $m->role, $page)) {
            throw new CabinetDenied(CabinetDenied::CAPABILITY, (string)CabinetRoutes::PAGES[$page]['capability']);
        }
        if (Loader::includeModule('pull')) {
            \Bitrix\Main\UI\Extension::load('pull.client');
        }
        $this->pageFile = $page;
        $urls = [];
        foreach (array_keys(CabinetRoutes::PAGES) as $name) {
            $urls[$name] = $routes->url($name);
        }
        return [
            'PAGE' => $page,
            'VARIABLES' => $variables,
            'FOLDER' => $this->arParams['SEF_FOLDER'],
            'URLS' => $urls,
            'URL_TEMPLATES' => [
                'order' => $routes->template('order'),
                'download' => $routes->url('documents') . '?download=#DOCUMENT_ID#',
            ],
        ];
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        if ($name !== 'switch') {
            throw new CabinetDenied(CabinetDenied::INVALID, 'action');
        }
        $this->cabinet->scope()->switchTo($this->userId, self::positive($request->getPost('company_id'), 0, 0, PHP_INT_MAX));
        return '';
    }

    protected function returnUrl(HttpRequest $request): string
    {
        // another company's order or document would be "not found": start again at the index
        return $this->routes()->url(CabinetRoutes::INDEX);
    }

    protected function render(): void
    {
        $this->includeComponentTemplate($this->arResult['ERROR'] === null ? (string)$this->pageFile : '');
    }
}
