<?php

$MESS['B2BSYNC_COMPANY_DESC_NAME'] = 'B2B: company employees';
$MESS['B2BSYNC_COMPANY_DESC_DESCRIPTION'] = 'For owners: employees\' roles, deactivation, invitations';
$MESS['B2BSYNC_COMPANY_DESC_PATH'] = 'B2B cabinet (b2bsync)';
