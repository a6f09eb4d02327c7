<?php

$MESS['B2BSYNC_DOCUMENTS_TITLE'] = 'Документы';
