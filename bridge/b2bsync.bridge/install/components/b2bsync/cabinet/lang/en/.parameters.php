<?php

$MESS['B2BSYNC_CABINET_PARAM_PAGE_ORDERS'] = 'Company orders';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_ORDER'] = 'Order';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_DOCUMENTS'] = 'Documents';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_FINANCE'] = 'Finance';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_NOTIFICATIONS'] = 'Notifications';
$MESS['B2BSYNC_CABINET_PARAM_PAGE_COMPANY'] = 'Company employees';
$MESS['B2BSYNC_CABINET_PARAM_ARTICLE_PROPERTIES'] = 'Basket property codes holding the article (comma-separated; the product XML_ID is always searched)';
$MESS['B2BSYNC_CABINET_PARAM_STALE_HOURS'] = 'Hours after which 1C figures are stale';
$MESS['B2BSYNC_CABINET_PARAM_BELL_REFRESH'] = 'How often the notification counter refreshes, seconds';
$MESS['B2BSYNC_CABINET_PARAM_UPLOAD_PREFIX'] = 'Folder of files b2bsync uploads (upload mode)';
