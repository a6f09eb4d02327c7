<?php

$MESS['B2BSYNC_CABINET_H_MENU_ORDERS'] = 'Заказы';
$MESS['B2BSYNC_CABINET_H_MENU_DOCUMENTS'] = 'Документы';
$MESS['B2BSYNC_CABINET_H_MENU_FINANCE'] = 'Финансы';
$MESS['B2BSYNC_CABINET_H_MENU_NOTIFICATIONS'] = 'Уведомления';
$MESS['B2BSYNC_CABINET_H_MENU_COMPANY'] = 'Сотрудники';
$MESS['B2BSYNC_CABINET_H_COMPANY'] = 'Компания';
$MESS['B2BSYNC_CABINET_H_SWITCH'] = 'Перейти';
$MESS['B2BSYNC_CABINET_H_BELL'] = 'Уведомления';
$MESS['B2BSYNC_CABINET_H_FINANCE'] = 'Расчёты';
$MESS['B2BSYNC_CABINET_H_LIMIT'] = 'использовано #USED# из #LIMIT#, доступно #AVAILABLE#';
$MESS['B2BSYNC_CABINET_H_USED'] = 'задолженность #USED#';
$MESS['B2BSYNC_CABINET_H_OVERDUE'] = 'просрочено #AMOUNT# с #DATE#';
$MESS['B2BSYNC_CABINET_H_STALE'] = '(данные обновляются)';
$MESS['B2BSYNC_CABINET_H_BLOCKED'] = 'Новые заказы компании заблокированы: #REASON#';
