<?php

declare(strict_types=1);

/*
 * b2bsync.bridge: the b2bsync REST scope for a 1C-Bitrix site (see lib/restservice.php).
 * Classes live in lib/ under the namespace B2bsync\Bridge with lower-case file names, the layout
 * the module autoloader maps by itself; they are also registered explicitly, which every main
 * module version honours (Bitrix\Main\Loader::registerAutoLoadClasses).
 */

use Bitrix\Main\Loader;

$b2bsyncBridgeClasses = [
    'B2bsync\\Bridge\\Access' => 'lib/access.php',
    'B2bsync\\Bridge\\Account' => 'lib/account.php',
    'B2bsync\\Bridge\\DocumentLinks' => 'lib/documentlinks.php',
    'B2bsync\\Bridge\\HandoffNonces' => 'lib/handoffnonces.php',
    'B2bsync\\Bridge\\HandoffNonceTable' => 'lib/handoffnoncetable.php',
    'B2bsync\\Bridge\\HlBlocks' => 'lib/hlblocks.php',
    'B2bsync\\Bridge\\InstallSteps' => 'lib/installsteps.php',
    'B2bsync\\Bridge\\InvitePages' => 'lib/invitepages.php',
    'B2bsync\\Bridge\\Items' => 'lib/items.php',
    'B2bsync\\Bridge\\Log' => 'lib/log.php',
    'B2bsync\\Bridge\\Mail' => 'lib/mail.php',
    'B2bsync\\Bridge\\MailDedupTable' => 'lib/maildeduptable.php',
    'B2bsync\\Bridge\\ModuleOptions' => 'lib/moduleoptions.php',
    'B2bsync\\Bridge\\OrderEvents' => 'lib/orderevents.php',
    'B2bsync\\Bridge\\Recipients' => 'lib/recipients.php',
    'B2bsync\\Bridge\\RestService' => 'lib/restservice.php',
    'B2bsync\\Bridge\\Site' => 'lib/site.php',
    'B2bsync\\Bridge\\Users' => 'lib/users.php',
    'B2bsync\\Bridge\\Wakeups' => 'lib/wakeups.php',
];
foreach (glob(__DIR__ . '/lib/core/*.php') ?: [] as $b2bsyncBridgeFile) {
    $b2bsyncBridgeClass = basename($b2bsyncBridgeFile, '.php');
    $b2bsyncBridgeClasses['B2bsync\\Bridge\\Core\\' . $b2bsyncBridgeClass] = 'lib/core/' . $b2bsyncBridgeClass . '.php';
}
// the cabinet's D7 adapters and the AJAX controllers (class names match case-insensitively)
foreach (['cabinet' => 'Cabinet', 'controller' => 'Controller'] as $b2bsyncBridgeDir => $b2bsyncBridgeNamespace) {
    foreach (glob(__DIR__ . '/lib/' . $b2bsyncBridgeDir . '/*.php') ?: [] as $b2bsyncBridgeFile) {
        $b2bsyncBridgeClass = basename($b2bsyncBridgeFile, '.php');
        $b2bsyncBridgeClasses['B2bsync\\Bridge\\' . $b2bsyncBridgeNamespace . '\\' . $b2bsyncBridgeClass] = 'lib/' . $b2bsyncBridgeDir . '/' . $b2bsyncBridgeClass . '.php';
    }
}
Loader::registerAutoLoadClasses('b2bsync.bridge', $b2bsyncBridgeClasses);
unset($b2bsyncBridgeClasses, $b2bsyncBridgeFile, $b2bsyncBridgeClass, $b2bsyncBridgeDir, $b2bsyncBridgeNamespace);
