<?php
$MESS['B2BSYNC_BRIDGE_OPT_TAB'] = 'Ссылки на документы';
$MESS['B2BSYNC_BRIDGE_OPT_TAB_TITLE'] = 'Подписанные ссылки для скачивания документов';
$MESS['B2BSYNC_BRIDGE_OPT_BASE_URL'] = 'Адрес скачивания в b2bsync (https://…/documents/download):';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET'] = 'Общий секрет подписи (как в настройках b2bsync):';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET_SET'] = 'Секрет задан; оставьте поле пустым, чтобы не менять его.';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET_UNSET'] = 'Секрет не задан: ссылки не создаются.';
$MESS['B2BSYNC_BRIDGE_OPT_TTL'] = 'Срок действия ссылки, секунд:';
$MESS['B2BSYNC_BRIDGE_OPT_SIDECAR'] = 'Адрес b2bsync для сигналов об изменениях (https://…, без /events):';
$MESS['B2BSYNC_BRIDGE_OPT_SIDECAR_HINT'] = 'Пусто — сигналы не отправляются, b2bsync узнаёт об изменениях только опросом.';
$MESS['B2BSYNC_BRIDGE_OPT_SAVE'] = 'Сохранить';
$MESS['B2BSYNC_BRIDGE_OPT_SAVED'] = 'Настройки сохранены.';
$MESS['B2BSYNC_BRIDGE_OPT_BAD_URL'] = 'Адрес должен начинаться с http:// или https://.';
$MESS['B2BSYNC_BRIDGE_OPT_BAD_TTL'] = 'Срок действия — не меньше 60 секунд.';
