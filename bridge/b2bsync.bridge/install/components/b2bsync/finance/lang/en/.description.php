<?php

$MESS['B2BSYNC_FINANCE_DESC_NAME'] = 'B2B: finance';
$MESS['B2BSYNC_FINANCE_DESC_DESCRIPTION'] = 'The company\'s credit limit, debt and overdue amount from 1C';
$MESS['B2BSYNC_FINANCE_DESC_PATH'] = 'B2B cabinet (b2bsync)';
