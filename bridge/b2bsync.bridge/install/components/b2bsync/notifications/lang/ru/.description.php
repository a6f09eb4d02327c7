<?php

$MESS['B2BSYNC_NOTIFICATIONS_DESC_NAME'] = 'B2B: уведомления';
$MESS['B2BSYNC_NOTIFICATIONS_DESC_DESCRIPTION'] = 'Уведомления пользователя кабинета с отметкой «прочитано»';
$MESS['B2BSYNC_NOTIFICATIONS_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
