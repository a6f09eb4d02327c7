<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
Loc::loadMessages(__FILE__);

$arComponentDescription = [
    'NAME' => Loc::getMessage('B2BSYNC_NOTIFICATIONS_DESC_NAME'),
    'DESCRIPTION' => Loc::getMessage('B2BSYNC_NOTIFICATIONS_DESC_DESCRIPTION'),
    'SORT' => 60,
    'PATH' => [
        'ID' => 'b2bsync',
        'NAME' => Loc::getMessage('B2BSYNC_NOTIFICATIONS_DESC_PATH'),
    ],
];
