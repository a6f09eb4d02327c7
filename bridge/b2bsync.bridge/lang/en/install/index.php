<?php
$MESS['B2BSYNC_BRIDGE_MODULE_NAME'] = 'b2bsync: REST bridge';
$MESS['B2BSYNC_BRIDGE_MODULE_DESCRIPTION'] = 'The b2bsync.* REST methods for the b2bsync service: HL-blocks, users, mail events, the order status change log.';
$MESS['B2BSYNC_BRIDGE_PARTNER_NAME'] = 'b2bsync';
$MESS['B2BSYNC_BRIDGE_PARTNER_URI'] = '';
$MESS['B2BSYNC_BRIDGE_INSTALL_PHP'] = 'The module needs PHP 8.1 or newer.';
$MESS['B2BSYNC_BRIDGE_INSTALL_NEEDS'] = 'Install the "#MODULE#" module first.';
$MESS['B2BSYNC_BRIDGE_INSTALL_TITLE'] = 'Installing b2bsync.bridge';
$MESS['B2BSYNC_BRIDGE_UNINSTALL_TITLE'] = 'Uninstalling b2bsync.bridge';
$MESS['B2BSYNC_BRIDGE_INSTALL_FAILED'] = 'The installation failed: #ERROR#';
