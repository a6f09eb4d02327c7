<?php

$MESS['B2BSYNC_DOCUMENTS_DESC_NAME'] = 'B2B: documents';
$MESS['B2BSYNC_DOCUMENTS_DESC_DESCRIPTION'] = 'The company\'s invoices, waybills and statements from 1C, with downloads';
$MESS['B2BSYNC_DOCUMENTS_DESC_PATH'] = 'B2B cabinet (b2bsync)';
