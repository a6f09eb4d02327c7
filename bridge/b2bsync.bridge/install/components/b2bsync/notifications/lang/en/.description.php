<?php

$MESS['B2BSYNC_NOTIFICATIONS_DESC_NAME'] = 'B2B: notifications';
$MESS['B2BSYNC_NOTIFICATIONS_DESC_DESCRIPTION'] = 'The cabinet user\'s notifications, with "mark read"';
$MESS['B2BSYNC_NOTIFICATIONS_DESC_PATH'] = 'B2B cabinet (b2bsync)';
