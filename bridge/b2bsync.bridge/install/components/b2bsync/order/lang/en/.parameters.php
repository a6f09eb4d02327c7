<?php

$MESS['B2BSYNC_ORDER_PARAM_ORDER_ID'] = 'Order ID';
$MESS['B2BSYNC_ORDER_PARAM_ORDERS_URL'] = 'Order list';
$MESS['B2BSYNC_ORDER_PARAM_DOCUMENT_URL'] = 'Document download (#DOCUMENT_ID# is the document ID)';
$MESS['B2BSYNC_ORDER_PARAM_ARTICLE_PROPERTIES'] = 'Basket property codes holding the article (comma-separated)';
