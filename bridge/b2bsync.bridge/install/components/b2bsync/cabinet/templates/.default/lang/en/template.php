<?php

$MESS['B2BSYNC_CABINET_T_UNAVAILABLE'] = 'The cabinet is not available right now.';
