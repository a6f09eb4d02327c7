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
            'NAME' => Loc::getMessage('B2BSYNC_DOCUMENTS_PARAM_ORDER_URL'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/cabinet/orders/#ORDER_ID#/',
        ],
        'DOWNLOAD_URL' => [
            'PARENT' => 'URL_TEMPLATES',
            'NAME' => Loc::getMessage('B2BSYNC_DOCUMENTS_PARAM_DOWNLOAD_URL'),
            'TYPE' => 'STRING',
            'DEFAULT' => '',
        ],
        'UPLOAD_PREFIX' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_DOCUMENTS_PARAM_UPLOAD_PREFIX'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/upload/b2b/docs/',
        ],
        'SET_TITLE' => [],
    ],
];
