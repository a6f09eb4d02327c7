<?php
$MESS['B2BSYNC_BRIDGE_GUARD_ROLE_MAY_NOT_ORDER'] = 'Your role in #COMPANY# (#ROLE#) may not place orders. Please ask an owner of your company\'s account.';
$MESS['B2BSYNC_BRIDGE_GUARD_COMPANY_BLOCKED'] = 'Orders of #COMPANY# are suspended: #REASON#. Please contact your manager.';
$MESS['B2BSYNC_BRIDGE_GUARD_COMPANY_BLOCKED_NO_REASON'] = 'Orders of #COMPANY# are suspended. Please contact your manager.';
$MESS['B2BSYNC_BRIDGE_GUARD_OVER_CREDIT'] = 'The order total of #TOTAL# is more than the credit available to #COMPANY#: #AVAILABLE#. Please reduce the order or contact your manager.';
$MESS['B2BSYNC_BRIDGE_GUARD_FAILED'] = 'The order could not be placed: #DETAIL# Please contact your manager.';
