<?php

$MESS['B2BSYNC_NOTIFICATIONS_T_DONE_READ'] = 'Отмечено как прочитанное.';
$MESS['B2BSYNC_NOTIFICATIONS_T_DONE_READ_ALL'] = 'Все уведомления прочитаны.';
$MESS['B2BSYNC_NOTIFICATIONS_T_READ_ALL'] = 'Прочитать все (#COUNT#)';
$MESS['B2BSYNC_NOTIFICATIONS_T_NONE'] = 'Уведомлений нет.';
$MESS['B2BSYNC_NOTIFICATIONS_T_READ'] = 'Прочитано';
$MESS['B2BSYNC_NOTIFICATIONS_T_PREV'] = '← новее';
$MESS['B2BSYNC_NOTIFICATIONS_T_NEXT'] = 'старее →';
