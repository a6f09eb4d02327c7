<?php

declare(strict_types=1);

/*
 * PHPUnit without Composer (Packagist is out of reach): classes load the way Bitrix loads a
 * module's lib/ — namespace B2bsync\Bridge\X\Y → lib/x/y.php, lower-cased — and the test
 * support classes from tests/support/.
 */
spl_autoload_register(static function (string $class): void {
    $prefix = 'B2bsync\\Bridge\\';
    if (!str_starts_with($class, $prefix)) {
        return;
    }
    $relative = substr($class, strlen($prefix));
    if (str_starts_with($relative, 'Tests\\Support\\')) {
        $file = __DIR__ . '/support/' . substr($relative, strlen('Tests\\Support\\')) . '.php';
    } else {
        $file = dirname(__DIR__) . '/b2bsync.bridge/lib/' . strtolower(str_replace('\\', '/', $relative)) . '.php';
    }
    if (is_file($file)) {
        require $file;
    }
});

const B2BSYNC_CONTRACT_DIR = __DIR__ . '/../contract';
