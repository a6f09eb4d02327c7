<?php

$MESS['B2BSYNC_FINANCE_T_UNKNOWN'] = 'Данных о расчётах с компанией пока нет: они появятся после обмена с 1С.';
$MESS['B2BSYNC_FINANCE_T_STALE'] = 'Данные обновляются: последние цифры из 1С на #AS_OF#.';
$MESS['B2BSYNC_FINANCE_T_BLOCKED'] = 'Новые заказы компании заблокированы: #REASON#';
$MESS['B2BSYNC_FINANCE_T_USED'] = 'Использовано';
$MESS['B2BSYNC_FINANCE_T_LIMIT'] = 'из лимита';
$MESS['B2BSYNC_FINANCE_T_AVAILABLE'] = 'Доступно #AMOUNT# (использовано #PERCENT#%)';
$MESS['B2BSYNC_FINANCE_T_OVERDUE'] = 'Просроченная задолженность';
$MESS['B2BSYNC_FINANCE_T_SINCE'] = 'с #DATE#';
$MESS['B2BSYNC_FINANCE_T_MONTH'] = 'Заказы за этот месяц';
$MESS['B2BSYNC_FINANCE_T_AS_OF'] = 'Данные 1С на';
