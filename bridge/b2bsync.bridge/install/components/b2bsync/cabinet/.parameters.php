<?php

use B2bsync\Bridge\Core\CabinetRoutes;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
if (!Loader::includeModule('b2bsync.bridge')) {
    return;
}
Loc::loadMessages(__FILE__);

// one SEF entry per page, from the routes the component itself parses
$sef = [];
foreach (CabinetRoutes::PAGES as $page => $route) {
    $sef[$page] = [
        'NAME' => Loc::getMessage('B2BSYNC_CABINET_PARAM_PAGE_' . strtoupper($page)),
        'DEFAULT' => $route['template'],
        'VARIABLES' => $route['variables'],
    ];
}

$arComponentParameters = [
    'PARAMETERS' => [
        'SEF_MODE' => $sef,
        'ARTICLE_PROPERTIES' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_CABINET_PARAM_ARTICLE_PROPERTIES'),
            'TYPE' => 'STRING',
            'DEFAULT' => 'CML2_ARTICLE,ARTICLE,ARTNUMBER',
        ],
        'STALE_HOURS' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_CABINET_PARAM_STALE_HOURS'),
            'TYPE' => 'STRING',
            'DEFAULT' => '6',
        ],
        'BELL_REFRESH' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_CABINET_PARAM_BELL_REFRESH'),
            'TYPE' => 'STRING',
            'DEFAULT' => '30',
        ],
        'UPLOAD_PREFIX' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_CABINET_PARAM_UPLOAD_PREFIX'),
            'TYPE' => 'STRING',
            'DEFAULT' => '/upload/b2b/docs/',
        ],
        'SET_TITLE' => [],
    ],
];
