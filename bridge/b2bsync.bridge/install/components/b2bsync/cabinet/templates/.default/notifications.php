<?php

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * @var array $arResult
 * @var array $arParams
 * @var CBitrixComponent $component
 * @var CMain $APPLICATION
 */
include __DIR__ . '/header.php';
$APPLICATION->IncludeComponent('b2bsync:notifications', '', [
    'SET_TITLE' => $arParams['SET_TITLE'],
], $component);
