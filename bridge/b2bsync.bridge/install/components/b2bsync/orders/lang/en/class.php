<?php

$MESS['B2BSYNC_ORDERS_TITLE'] = 'Company orders';
