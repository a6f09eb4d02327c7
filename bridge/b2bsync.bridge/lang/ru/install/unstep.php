<?php
$MESS['B2BSYNC_BRIDGE_STEP_UNINSTALLED'] = 'Модуль удалён. Таблица b2bsync_bridge_mail_dedup и записи о шаблонах сохранены, чтобы повторная установка не отправила письма дважды.';
$MESS['B2BSYNC_BRIDGE_STEP_BACK'] = 'Вернуться в список';
