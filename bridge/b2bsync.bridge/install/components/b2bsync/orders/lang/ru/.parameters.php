<?php

$MESS['B2BSYNC_ORDERS_PARAM_ORDER_URL'] = 'Страница заказа (#ORDER_ID# — ID заказа)';
$MESS['B2BSYNC_ORDERS_PARAM_ARTICLE_PROPERTIES'] = 'Коды свойств корзины с артикулом (через запятую; XML_ID товара ищется всегда)';
