<?php

$MESS['B2BSYNC_DOCUMENTS_PARAM_ORDER_URL'] = 'Страница заказа (#ORDER_ID# — ID заказа)';
$MESS['B2BSYNC_DOCUMENTS_PARAM_UPLOAD_PREFIX'] = 'Папка файлов, выгруженных b2bsync (режим upload; как upload_url_prefix в его настройках)';
$MESS['B2BSYNC_DOCUMENTS_PARAM_DOWNLOAD_URL'] = 'Ссылка на скачивание (#DOCUMENT_ID# — ID документа; пусто — эта же страница)';
