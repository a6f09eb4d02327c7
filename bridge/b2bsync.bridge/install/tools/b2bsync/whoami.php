<?php

/*
 * b2bsync.bridge: tells b2bsync's invite page who is logged in on the store (copied to
 * /bitrix/tools/b2bsync/ by the module's installer; the logic is B2bsync\Bridge\InvitePages).
 * NEED_AUTH: a visitor who is not logged in gets the site's login form first, then this page.
 */
define('NEED_AUTH', true);
define('NO_KEEP_STATISTIC', true);
define('NO_AGENT_CHECK', true);
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/prolog_before.php';

if (\Bitrix\Main\Loader::includeModule('b2bsync.bridge')) {
    \B2bsync\Bridge\InvitePages::whoami();
}
require $_SERVER['DOCUMENT_ROOT'] . '/bitrix/modules/main/include/epilog_after.php';
