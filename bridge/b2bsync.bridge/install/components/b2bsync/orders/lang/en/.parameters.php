<?php

$MESS['B2BSYNC_ORDERS_PARAM_ORDER_URL'] = 'Order page (#ORDER_ID# is the order ID)';
$MESS['B2BSYNC_ORDERS_PARAM_ARTICLE_PROPERTIES'] = 'Basket property codes holding the article (comma-separated; the product XML_ID is always searched)';
