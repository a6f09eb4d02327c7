<?php

$MESS['B2BSYNC_CABINET_DESC_NAME'] = 'B2B buyer cabinet (complex)';
$MESS['B2BSYNC_CABINET_DESC_DESCRIPTION'] = 'Company orders, documents, finance, notifications and employees, with a company switcher';
$MESS['B2BSYNC_CABINET_DESC_PATH'] = 'B2B cabinet (b2bsync)';
