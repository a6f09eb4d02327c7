<?php

$MESS['B2BSYNC_FINANCE_PARAM_STALE_HOURS'] = 'Hours after which 1C figures are stale ("data updating")';
