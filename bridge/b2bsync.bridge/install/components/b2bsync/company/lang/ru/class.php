<?php

$MESS['B2BSYNC_COMPANY_TITLE'] = 'Сотрудники: #COMPANY#';
