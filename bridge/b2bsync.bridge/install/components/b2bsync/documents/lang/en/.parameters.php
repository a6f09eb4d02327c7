<?php

$MESS['B2BSYNC_DOCUMENTS_PARAM_ORDER_URL'] = 'Order page (#ORDER_ID# is the order ID)';
$MESS['B2BSYNC_DOCUMENTS_PARAM_UPLOAD_PREFIX'] = 'Folder of files b2bsync uploads (upload mode; its upload_url_prefix setting)';
$MESS['B2BSYNC_DOCUMENTS_PARAM_DOWNLOAD_URL'] = 'Download link (#DOCUMENT_ID# is the document ID; empty: this page)';
