<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
Loc::loadMessages(__FILE__);

$arComponentParameters = [
    'PARAMETERS' => [
        'STALE_HOURS' => [
            'PARENT' => 'BASE',
            'NAME' => Loc::getMessage('B2BSYNC_FINANCE_PARAM_STALE_HOURS'),
            'TYPE' => 'STRING',
            'DEFAULT' => '6',
        ],
        'SET_TITLE' => [],
    ],
];
