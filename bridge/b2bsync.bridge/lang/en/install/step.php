<?php
$MESS['B2BSYNC_BRIDGE_STEP_INSTALLED'] = 'The module is installed: the b2bsync.* methods answer the members of its service group (and administrators).';
$MESS['B2BSYNC_BRIDGE_STEP_NEXT'] = 'Next, on the module settings page (Settings → System settings → Module settings → b2bsync: REST bridge), create the service user and its inbound webhook and copy its address into b2bsync\'s settings; then run "b2bsync doctor" and "b2bsync schema apply".';
$MESS['B2BSYNC_BRIDGE_STEP_BACK'] = 'Back to the list';
