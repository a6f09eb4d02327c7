<?php

$MESS['B2BSYNC_CABINET_T_UNAVAILABLE'] = 'Кабинет сейчас недоступен.';
