<?php

$MESS['B2BSYNC_DOCUMENTS_DESC_NAME'] = 'B2B: документы';
$MESS['B2BSYNC_DOCUMENTS_DESC_DESCRIPTION'] = 'Счета, накладные, акты сверки компании из 1С со скачиванием';
$MESS['B2BSYNC_DOCUMENTS_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
