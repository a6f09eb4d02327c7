<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use Bitrix\Main\Application;

/**
 * Where the bridge reports a failure on the site: the event log (Settings → Tools → Event log,
 * module b2bsync.bridge), which a fresh install always keeps, and the exception log of
 * /bitrix/.settings.php ("exception_handling" → "log"), which a fresh install has switched off.
 */
final class Log
{
    public const AUDIT_TYPE = 'B2BSYNC_BRIDGE_ERROR';

    public static function error(\Throwable $e, string $where): void
    {
        try {
            \CEventLog::Add([
                'SEVERITY' => 'ERROR',
                'AUDIT_TYPE_ID' => self::AUDIT_TYPE,
                'MODULE_ID' => Mail::MODULE_ID,
                'ITEM_ID' => $where,
                'DESCRIPTION' => get_class($e) . ': ' . $e->getMessage() . ' at ' . $e->getFile() . ':' . $e->getLine(),
            ]);
        } catch (\Throwable) {
            // the event log is the last resort; nothing else to tell
        }
        try {
            Application::getInstance()->getExceptionHandler()->writeToLog($e);
        } catch (\Throwable) {
        }
    }
}
