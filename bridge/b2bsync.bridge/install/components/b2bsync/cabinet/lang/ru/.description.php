<?php

$MESS['B2BSYNC_CABINET_DESC_NAME'] = 'B2B-кабинет покупателя (комплексный)';
$MESS['B2BSYNC_CABINET_DESC_DESCRIPTION'] = 'Заказы компании, документы, финансы, уведомления и сотрудники с переключателем компаний';
$MESS['B2BSYNC_CABINET_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
