<?php

$MESS['B2BSYNC_CABINET_PARAM_PAGE_ORDERS'] = 'Заказы компании';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_ORDER'] = 'Заказ';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_DOCUMENTS'] = 'Документы';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_FINANCE'] = 'Финансы';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_NOTIFICATIONS'] = 'Уведомления';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_COMPANY'] = 'Сотрудники компании';
$MESS['B2BSYNC_CABINET_PARAM_ARTICLE_PROPERTIES'] = 'Коды свойств корзины с артикулом (через запятую; XML_ID товара ищется всегда)';
$MESS['B2BSYNC_CABINET_PARAM_STALE_HOURS'] = 'Через сколько часов данные 1С считаются устаревшими';
$MESS['B2BSYNC_CABINET_PARAM_BELL_REFRESH'] = 'Как часто обновлять счётчик уведомлений, секунд';
$MESS['B2BSYNC_CABINET_PARAM_UPLOAD_PREFIX'] = 'Папка файлов, выгруженных b2bsync (режим upload)';
