<?php

/*
 * b2bsync.bridge: the login hand-off after an invite was accepted on b2bsync's page (copied to
 * /bitrix/tools/b2bsync/ by the module's installer; the logic is B2bsync\Bridge\InvitePages).
 */
define('NO_KEEP_STATISTIC', true);
define('NO_AGENT_CHECK', true);
define('NOT_CHECK_PERMISSIONS', true);
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';

if (\Bitrix\Main\Loader::includeModule('b2bsync.bridge')) {
    \B2bsync\Bridge\InvitePages::handoff();
}
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_after.php';
