<?php

$MESS['B2BSYNC_ORDERS_DESC_NAME'] = 'B2B: company orders';
$MESS['B2BSYNC_ORDERS_DESC_DESCRIPTION'] = 'Orders of every employee of the current company: filters, search by number and by article';
$MESS['B2BSYNC_ORDERS_DESC_PATH'] = 'B2B cabinet (b2bsync)';
