<?php
$MESS['B2BSYNC_BRIDGE_MODULE_NAME'] = 'b2bsync: мост REST';
$MESS['B2BSYNC_BRIDGE_MODULE_DESCRIPTION'] = 'REST-методы b2bsync.* для сервиса b2bsync: HL-блоки, пользователи, почтовые события, журнал смены статусов заказов.';
$MESS['B2BSYNC_BRIDGE_PARTNER_NAME'] = 'b2bsync';
$MESS['B2BSYNC_BRIDGE_PARTNER_URI'] = '';
$MESS['B2BSYNC_BRIDGE_INSTALL_PHP'] = 'Модулю нужен PHP 8.1 или новее.';
$MESS['B2BSYNC_BRIDGE_INSTALL_NEEDS'] = 'Сначала установите модуль «#MODULE#».';
$MESS['B2BSYNC_BRIDGE_INSTALL_TITLE'] = 'Установка модуля b2bsync.bridge';
$MESS['B2BSYNC_BRIDGE_UNINSTALL_TITLE'] = 'Удаление модуля b2bsync.bridge';
$MESS['B2BSYNC_BRIDGE_INSTALL_FAILED'] = 'Установка не удалась: #ERROR#';
