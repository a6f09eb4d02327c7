<?php

$MESS['B2BSYNC_FINANCE_T_UNKNOWN'] = 'No credit data for the company yet: it appears after the next exchange with 1C.';
$MESS['B2BSYNC_FINANCE_T_STALE'] = 'Data updating: the latest figures from 1C are as of #AS_OF#.';
$MESS['B2BSYNC_FINANCE_T_BLOCKED'] = 'New orders of the company are blocked: #REASON#';
$MESS['B2BSYNC_FINANCE_T_USED'] = 'Used';
$MESS['B2BSYNC_FINANCE_T_LIMIT'] = 'of the limit';
$MESS['B2BSYNC_FINANCE_T_AVAILABLE'] = 'Available #AMOUNT# (#PERCENT#% used)';
$MESS['B2BSYNC_FINANCE_T_OVERDUE'] = 'Overdue';
$MESS['B2BSYNC_FINANCE_T_SINCE'] = 'since #DATE#';
$MESS['B2BSYNC_FINANCE_T_MONTH'] = 'Orders this month';
$MESS['B2BSYNC_FINANCE_T_AS_OF'] = '1C data as of';
