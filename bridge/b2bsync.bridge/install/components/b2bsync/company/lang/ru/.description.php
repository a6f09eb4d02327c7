<?php

$MESS['B2BSYNC_COMPANY_DESC_NAME'] = 'B2B: сотрудники компании';
$MESS['B2BSYNC_COMPANY_DESC_DESCRIPTION'] = 'Для владельцев: роли сотрудников, отключение, приглашения';
$MESS['B2BSYNC_COMPANY_DESC_PATH'] = 'B2B-кабинет (b2bsync)';
