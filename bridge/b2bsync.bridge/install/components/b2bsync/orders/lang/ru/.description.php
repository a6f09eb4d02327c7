<?php

$MESS['B2BSYNC_ORDERS_DESC_NAME'] = 'B2B: заказы компании';
$MESS['B2BSYNC_ORDERS_DESC_DESCRIPTION'] = 'Заказы всех сотрудников текущей компании: фильтры, поиск по номеру и артикулу';
$MESS['B2BSYNC_ORDERS_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
