<?php
$MESS['B2BSYNC_BRIDGE_STEP_INSTALLED'] = 'The module is installed: the b2bsync.* methods answer incoming webhooks granted "b2bsync".';
$MESS['B2BSYNC_BRIDGE_STEP_NEXT'] = 'Grant an incoming webhook "sale" and "b2bsync", then run "b2bsync doctor" and "b2bsync schema apply". The document link address and secret are in the module settings.';
$MESS['B2BSYNC_BRIDGE_STEP_BACK'] = 'Back to the list';
