<?php

$MESS['B2BSYNC_CABINET_DENIED_UNCONFIGURED'] = 'Кабинет ещё не настроен: администратору нужно выполнить «b2bsync schema apply».';
$MESS['B2BSYNC_CABINET_DENIED_NO_COMPANY'] = 'Вы не состоите ни в одной компании. Попросите владельца компании пригласить вас.';
$MESS['B2BSYNC_CABINET_DENIED_CAPABILITY'] = 'Ваша роль в компании не даёт доступа к этому разделу или действию.';
$MESS['B2BSYNC_CABINET_DENIED_NOT_FOUND'] = 'Не найдено в текущей компании.';
$MESS['B2BSYNC_CABINET_DENIED_SESSION'] = 'Сессия устарела: обновите страницу и повторите действие.';
$MESS['B2BSYNC_CABINET_DENIED_INVALID'] = 'Проверьте введённые данные.';
$MESS['B2BSYNC_CABINET_DENIED_CONFLICT'] = 'Действие больше не применимо: данные изменились.';
$MESS['B2BSYNC_CABINET_DENIED_LAST_OWNER'] = 'В компании должен остаться хотя бы один активный владелец.';
$MESS['B2BSYNC_CABINET_DENIED_INVITE_OPEN'] = 'На этот адрес уже есть действующее приглашение.';
