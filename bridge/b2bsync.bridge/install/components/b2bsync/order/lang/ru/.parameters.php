<?php

$MESS['B2BSYNC_ORDER_PARAM_ORDER_ID'] = 'ID заказа';
$MESS['B2BSYNC_ORDER_PARAM_ORDERS_URL'] = 'Список заказов';
$MESS['B2BSYNC_ORDER_PARAM_DOCUMENT_URL'] = 'Скачивание документа (#DOCUMENT_ID# — ID документа)';
$MESS['B2BSYNC_ORDER_PARAM_ARTICLE_PROPERTIES'] = 'Коды свойств корзины с артикулом (через запятую)';
