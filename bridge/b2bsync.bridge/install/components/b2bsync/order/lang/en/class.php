<?php

$MESS['B2BSYNC_ORDER_TITLE'] = 'Order #NUMBER#';
