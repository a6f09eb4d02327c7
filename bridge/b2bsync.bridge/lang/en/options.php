<?php
$MESS['B2BSYNC_BRIDGE_OPT_TAB'] = 'Document links';
$MESS['B2BSYNC_BRIDGE_OPT_TAB_TITLE'] = 'Signed document download links';
$MESS['B2BSYNC_BRIDGE_OPT_BASE_URL'] = 'b2bsync download address (https://…/documents/download):';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET'] = 'Shared signing secret (as in b2bsync\'s settings):';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET_SET'] = 'A secret is set; leave the field empty to keep it.';
$MESS['B2BSYNC_BRIDGE_OPT_SECRET_UNSET'] = 'No secret is set: no links are made.';
$MESS['B2BSYNC_BRIDGE_OPT_TTL'] = 'Link lifetime, seconds:';
$MESS['B2BSYNC_BRIDGE_OPT_SIDECAR'] = 'b2bsync address for change signals (https://…, without /events):';
$MESS['B2BSYNC_BRIDGE_OPT_SIDECAR_HINT'] = 'Empty: no signals are sent, b2bsync finds changes by polling alone.';
$MESS['B2BSYNC_BRIDGE_OPT_SAVE'] = 'Save';
$MESS['B2BSYNC_BRIDGE_OPT_SAVED'] = 'Settings saved.';
$MESS['B2BSYNC_BRIDGE_OPT_BAD_URL'] = 'The address must start with http:// or https://.';
$MESS['B2BSYNC_BRIDGE_OPT_BAD_TTL'] = 'The lifetime is 60 seconds at least.';
