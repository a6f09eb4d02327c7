<?php

declare(strict_types=1);

/*
 * The page test's site: PHP's built-in server runs this router over the Bitrix TEST DOUBLE
 * (bitrix.php) and a CabinetWorld kept between requests in the file named by
 * B2BSYNC_CABINET_STATE (created on the first request). Not Bitrix: only what the cabinet needs.
 *
 *   php -S 127.0.0.1:8080 -t bridge bridge/tests/site/router.php
 *
 * Routes: /login?user=ID[&lang=ru|en] (the double's stand-in for logging in), /logout,
 * /cabinet/… (b2bsync:cabinet, SEF_FOLDER /cabinet/, in a plain page shell),
 * /bitrix/services/main/ajax.php?action=b2bsync:bridge.bell.<action> (the module's controller
 * with its prefilters), the components' style.css / script.js, and two test hooks:
 * /__test/state (orders' statuses, downloads, invites and comments as JSON) and
 * POST /__test/notify?user=ID (a notification as b2bsync's outbox would write it).
 */

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Controller\Bell;
use B2bsync\Bridge\Core\Cabinet;
use B2bsync\Bridge\Core\CabinetRows;
use B2bsync\Bridge\Tests\Site\EchoFiles;
use B2bsync\Bridge\Tests\Support\CabinetWorld;
use Bitrix\Main\DI\ServiceLocator;

require dirname(__DIR__) . '/bootstrap.php';
require __DIR__ . '/bitrix.php';
require __DIR__ . '/EchoFiles.php';

$path = (string)parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if (preg_match('~\A/b2bsync\.bridge/install/components/b2bsync/[a-z]+/templates/\.default/(?:style\.css|script\.js)\z~', $path) === 1) {
    return false;
}

$stateFile = (string)getenv('B2BSYNC_CABINET_STATE');
if ($stateFile === '') {
    http_response_code(500);
    echo 'B2BSYNC_CABINET_STATE is not set';
    return true;
}
$world = is_file($stateFile) ? unserialize((string)file_get_contents($stateFile)) : new CabinetWorld();
$save = static function () use ($world, $stateFile): void {
    file_put_contents($stateFile . '.tmp', serialize($world));
    rename($stateFile . '.tmp', $stateFile);
};

session_start();
$_SESSION['sessid'] ??= bin2hex(random_bytes(16));
BitrixDouble::$sessid = $_SESSION['sessid'];
BitrixDouble::$componentsRoot = dirname(__DIR__, 2) . '/b2bsync.bridge/install/components';
BitrixDouble::$documentRoot = dirname(__DIR__, 2);

if ($path === '/login') {
    $_SESSION['user'] = (int)($_GET['user'] ?? 0);
    $_SESSION['lang'] = in_array($_GET['lang'] ?? 'ru', ['ru', 'en'], true) ? ($_GET['lang'] ?? 'ru') : 'ru';
    header('Location: /cabinet/');
    return true;
}
if ($path === '/logout') {
    session_destroy();
    header('Location: /cabinet/');
    return true;
}
if ($path === '/__test/state') {
    header('Content-Type: application/json');
    $rows = $world->cabinet()->rows();
    echo json_encode([
        'statuses' => array_map(static fn (array $o): string => $o['STATUS_ID'], $world->site->orders),
        'downloads' => $world->site->downloads,
        'invites' => count($rows->all(CabinetRows::INVITES, [])),
        'comments' => count($rows->all(CabinetRows::COMMENTS, [])),
    ], JSON_UNESCAPED_UNICODE);
    return true;
}
if ($path === '/__test/notify' && $_SERVER['REQUEST_METHOD'] === 'POST') {
    $user = (int)($_GET['user'] ?? 0);
    $world->add('B2bNotifications', ['UF_USER_ID' => $user, 'UF_TYPE' => 'B2B_ORDER_COMMENT', 'UF_TEXT' => 'Новый комментарий к заказу RM-1024', 'UF_LINK' => '/cabinet/orders/1024/',
        'UF_CREATED_AT' => CabinetWorld::NOW, 'UF_DEDUP_KEY' => 'test:' . bin2hex(random_bytes(6))]);
    $save();
    echo 'ok';
    return true;
}

$site = $world->site;
ServiceLocator::getInstance()->addInstance(CabinetComponent::SERVICE, new Cabinet($site, $site, $site, $site, $site, $site, new EchoFiles($site)));
$headers = [];
foreach ($_SERVER as $key => $value) {
    if (str_starts_with($key, 'HTTP_')) {
        $headers[str_replace('_', '-', substr($key, 5))] = (string)$value;
    }
}
BitrixDouble::begin([
    'method' => $_SERVER['REQUEST_METHOD'],
    'uri' => $_SERVER['REQUEST_URI'],
    'post' => $_POST,
    'headers' => $headers,
    'user' => (int)($_SESSION['user'] ?? 0),
    'lang' => $_SESSION['lang'] ?? 'ru',
]);

if ($path === '/bitrix/services/main/ajax.php') {
    $action = (string)($_GET['action'] ?? '');
    $name = preg_match('/\Ab2bsync:bridge\.bell\.(counter|read|readAll)\z/', $action, $m) === 1 ? $m[1] : null;
    if ($name === null) {
        http_response_code(404);
        return true;
    }
    $arguments = $name === 'read' ? [(int)($_POST['id'] ?? 0)] : [];
    [$status, $answer] = BitrixDouble::runAction(new Bell(), $name, $arguments);
    $save();
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($answer, JSON_UNESCAPED_UNICODE);
    return true;
}

if (!str_starts_with($path, '/cabinet')) {
    http_response_code(404);
    echo 'not found';
    return true;
}

ob_start();
BitrixDouble::$bufferLevel = ob_get_level();
try {
    $APPLICATION->IncludeComponent('b2bsync:cabinet', '', ['SEF_MODE' => 'Y', 'SEF_FOLDER' => '/cabinet/']);
} catch (BitrixDoubleEnd) {
    // a redirect or a sent file
}
$body = (string)ob_get_clean();
BitrixDouble::$bufferLevel = 0;
$save();
if (BitrixDouble::$redirect !== null) {
    header('Location: ' . BitrixDouble::$redirect, true, 302);
    return true;
}
if (BitrixDouble::$status !== null) {
    http_response_code((int)BitrixDouble::$status);
}
if (headers_list() !== [] && array_filter(headers_list(), static fn (string $h): bool => str_starts_with($h, 'Content-Disposition')) !== []) {
    echo $body;
    return true;
}
$lang = htmlspecialcharsbx(BitrixDouble::$lang);
echo "<!doctype html>\n<html lang=\"$lang\"><head><meta charset=\"utf-8\"><title>" . htmlspecialcharsbx(BitrixDouble::$title) . '</title>';
foreach (BitrixDouble::$assets as $asset) {
    if (str_ends_with($asset, '.css')) {
        echo '<link rel="stylesheet" href="' . htmlspecialcharsbx($asset) . '">';
    }
}
echo '<style>body{margin:0;background:#f3f5f8}.double-page{max-width:1100px;margin:0 auto;padding:18px 24px;background:#fff;min-height:100vh;box-sizing:border-box}.double-page h1{font:600 22px/1.3 Arial,sans-serif;margin:0 0 12px}</style>';
echo "</head><body><main class=\"double-page\"><h1>" . htmlspecialcharsbx(BitrixDouble::$title) . "</h1>\n" . $body . '</main>';
foreach (BitrixDouble::$assets as $asset) {
    if (str_ends_with($asset, '.js')) {
        echo '<script src="' . htmlspecialcharsbx($asset) . '"></script>';
    }
}
echo "</body></html>\n";
return true;
