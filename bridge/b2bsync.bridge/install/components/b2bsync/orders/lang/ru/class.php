<?php

$MESS['B2BSYNC_ORDERS_TITLE'] = 'Заказы компании';
