<?php

$MESS['B2BSYNC_ORDER_DESC_NAME'] = 'B2B: order';
$MESS['B2BSYNC_ORDER_DESC_DESCRIPTION'] = 'Basket, status history, documents, approval and comments of one order';
$MESS['B2BSYNC_ORDER_DESC_PATH'] = 'B2B cabinet (b2bsync)';
