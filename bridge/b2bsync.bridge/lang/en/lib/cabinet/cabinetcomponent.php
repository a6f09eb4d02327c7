<?php

$MESS['B2BSYNC_CABINET_DENIED_UNCONFIGURED'] = 'The cabinet is not set up yet: the administrator needs to run "b2bsync schema apply".';
$MESS['B2BSYNC_CABINET_DENIED_NO_COMPANY'] = 'You are not a member of any company. Ask your company\'s owner to invite you.';
$MESS['B2BSYNC_CABINET_DENIED_CAPABILITY'] = 'Your role in the company does not give access to this page or action.';
$MESS['B2BSYNC_CABINET_DENIED_NOT_FOUND'] = 'Not found in the current company.';
$MESS['B2BSYNC_CABINET_DENIED_SESSION'] = 'Your session has expired: reload the page and try again.';
$MESS['B2BSYNC_CABINET_DENIED_INVALID'] = 'Please check what you entered.';
$MESS['B2BSYNC_CABINET_DENIED_CONFLICT'] = 'This action no longer applies: the data has changed.';
$MESS['B2BSYNC_CABINET_DENIED_LAST_OWNER'] = 'The company must keep at least one active owner.';
$MESS['B2BSYNC_CABINET_DENIED_INVITE_OPEN'] = 'There already is an open invitation for this address.';
