<?php

$MESS['B2BSYNC_INVITE_LINK_TITLE'] = 'This link is not valid';
$MESS['B2BSYNC_INVITE_LINK_TEXT'] = 'The link has expired or was used already. Log in with your login and password, or open the invitation again.';
