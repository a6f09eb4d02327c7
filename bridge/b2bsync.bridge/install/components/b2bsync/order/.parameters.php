<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
Loc::loadMessages(__FILE__);

$arComponentParameters = [
    'PARAMETERS' => [
        'ORDER_ID' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_ORDER_PARAM_ORDER_ID'),
            'TYPE' => 'STRING',
            'DEFAULT' => '={$_REQUEST["ORDER_ID"]}',
        ],
        'ORDERS_URL' => [
            'PARENT' => 'URL_TEMPLATES',
            'NAME' => Loc::getMessage('B2BSYNC_ORDER_PARAM_ORDERS_URL'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/cabinet/orders/',
        ],
        'DOCUMENT_URL' => [
            'PARENT' => 'URL_TEMPLATES',
            'NAME' => Loc::getMessage('B2BSYNC_ORDER_PARAM_DOCUMENT_URL'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/cabinet/documents/?download=#DOCUMENT_ID#',
        ],
        'ARTICLE_PROPERTIES' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_ORDER_PARAM_ARTICLE_PROPERTIES'),
            'TYPE' => 'STRING',
            'DEFAULT' => 'CML2_ARTICLE,ARTICLE,ARTNUMBER',
        ],
        'SET_TITLE' => [],
    ],
];
