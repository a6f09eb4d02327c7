<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
Loc::loadMessages(__FILE__);

$arComponentParameters = [
    'PARAMETERS' => [
        'ORDER_URL' => [
            'PARENT' => 'URL_TEMPLATES',
            'NAME' => Loc::getMessage('B2BSYNC_ORDERS_PARAM_ORDER_URL'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/cabinet/orders/#ORDER_ID#/',
        ],
        'ARTICLE_PROPERTIES' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_ORDERS_PARAM_ARTICLE_PROPERTIES'),
            'TYPE' => 'STRING',
            'DEFAULT' => 'CML2_ARTICLE,ARTICLE,ARTNUMBER',
        ],
        'SET_TITLE' => [],
    ],
];
