<?php
$MESS['B2BSYNC_BRIDGE_STEP_UNINSTALLED'] = 'The module is uninstalled. The b2bsync_bridge_mail_dedup table and the template records are kept, so that a reinstall never sends a mail twice.';
$MESS['B2BSYNC_BRIDGE_STEP_BACK'] = 'Back to the list';
