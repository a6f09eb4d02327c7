<?php
$MESS['B2BSYNC_BRIDGE_STEP_INSTALLED'] = 'Модуль установлен: методы b2bsync.* доступны входящим вебхукам с правом «b2bsync».';
$MESS['B2BSYNC_BRIDGE_STEP_NEXT'] = 'Дайте входящему вебхуку права «sale» и «b2bsync», затем выполните «b2bsync doctor» и «b2bsync schema apply». Адрес и секрет ссылок на документы задаются в настройках модуля.';
$MESS['B2BSYNC_BRIDGE_STEP_BACK'] = 'Вернуться в список';
