<?php

$MESS['B2BSYNC_FINANCE_TITLE'] = 'Finance';
