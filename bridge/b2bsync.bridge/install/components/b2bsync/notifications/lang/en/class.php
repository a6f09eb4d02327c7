<?php

$MESS['B2BSYNC_NOTIFICATIONS_TITLE'] = 'Notifications';
