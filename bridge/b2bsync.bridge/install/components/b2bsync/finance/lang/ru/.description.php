<?php

$MESS['B2BSYNC_FINANCE_DESC_NAME'] = 'B2B: финансы';
$MESS['B2BSYNC_FINANCE_DESC_DESCRIPTION'] = 'Кредитный лимит, задолженность и просрочка компании по данным 1С';
$MESS['B2BSYNC_FINANCE_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
