<?php

$MESS['B2BSYNC_ORDER_DESC_NAME'] = 'B2B: заказ';
$MESS['B2BSYNC_ORDER_DESC_DESCRIPTION'] = 'Состав заказа, история статусов, документы, согласование и комментарии';
$MESS['B2BSYNC_ORDER_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
