<?php

$MESS['B2BSYNC_COMPANY_TITLE'] = 'Employees: #COMPANY#';
