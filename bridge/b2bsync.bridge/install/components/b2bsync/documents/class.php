<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\CabinetAccess;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\DocumentList;
use B2bsync\Bridge\Core\Membership;
use Bitrix\Main\Application;
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
 * b2bsync:documents — the current company's documents from 1C with filters; ?download=ID sends
 * one (signed b2bsync link, attached file or uploaded file) after the role and company checks.
 * Data and rules: B2bsync\Bridge\Core\DocumentList.
 */
final class B2bsyncDocumentsComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'documents';
    }

    protected function params(array $params): array
    {
        $params['ORDER_URL'] = trim((string)($params['ORDER_URL'] ?? '')) ?: '/cabinet/orders/#ORDER_ID#/';
        $params['DOWNLOAD_URL'] = trim((string)($params['DOWNLOAD_URL'] ?? ''));
        $prefix = trim((string)($params['UPLOAD_PREFIX'] ?? ''));
        $params['UPLOAD_PREFIX'] = preg_match('~\A/[A-Za-z0-9_/\-]+\z~', $prefix) === 1 ? $prefix : DocumentList::DEFAULT_UPLOAD_PREFIX;
        return $params;
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $download = $request->getQuery('download');
        if ($download !== null) {
            $this->download($m, self::positive($download, 0, 0, PHP_INT_MAX));
        }
        $this->setTitle((string)Loc::getMessage('B2BSYNC_DOCUMENTS_TITLE'));
        $base = (string)strtok((string)$request->getRequestUri(), '?');
        $template = $this->arParams['DOWNLOAD_URL'] !== '' ? $this->arParams['DOWNLOAD_URL'] : $base . '?download=#DOCUMENT_ID#';
        $downloadUrl = static fn (int $id): string => self::fill($template, 'DOCUMENT_ID', $id);
        $result = $this->cabinet->documents()->build($m, $request->getQueryList()->toArray(), $this->lang, $base, $downloadUrl);
        // a link to the order only for roles that may open it
        $orders = $this->cabinet->scope()->can($m, CabinetAccess::ORDERS_VIEW);
        foreach ($result['DOCUMENTS'] as $i => $document) {
            $result['DOCUMENTS'][$i]['ORDER_URL'] = $document['ORDER_ID'] === null || !$orders ? null : self::fill($this->arParams['ORDER_URL'], 'ORDER_ID', $document['ORDER_ID']);
        }
        return $result;
    }

    /** Send the document and end the request; CabinetDenied when it may not or cannot be sent. */
    private function download(Membership $m, int $documentId): void
    {
        $target = $this->cabinet->documents()->download($m, $documentId, $this->arParams['UPLOAD_PREFIX']);
        if ($target[0] === 'redirect') {
            LocalRedirect((string)$target[1], true);
            return;
        }
        global $APPLICATION;
        $APPLICATION->RestartBuffer();
        $files = $this->cabinet->files();
        $sent = $target[0] === 'stored'
            ? $files->sendStored((int)$target[1], (string)$target[2])
            : $files->sendUploaded((string)$target[1], (string)$target[2]);
        if (!$sent) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "the file of document $documentId");
        }
        Application::getInstance()->terminate();
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
