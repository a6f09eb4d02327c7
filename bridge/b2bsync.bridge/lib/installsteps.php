<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\InstallPort;
use Bitrix\Main\Application;
use Bitrix\Main\Data\Cache;
use Bitrix\Main\EventManager;
use Bitrix\Main\ModuleManager;

/**
 * The installer's site operations: ModuleManager (b_module), EventManager (b_module_to_module),
 * the module's SQL (install/db/mysql/install.sql) and the rest module's cache
 * (https://training.bitrix24.com/support/training/course/?COURSE_ID=68&CHAPTER_ID=022104).
 */
final class InstallSteps implements InstallPort
{
    public const MODULE_ID = 'b2bsync.bridge';
    private const DEDUP_TABLE = 'b2bsync_bridge_mail_dedup';

    public function isRegistered(): bool
    {
        return ModuleManager::isModuleInstalled(self::MODULE_ID);
    }

    public function register(): void
    {
        ModuleManager::registerModule(self::MODULE_ID);
    }

    public function unregister(): void
    {
        ModuleManager::unRegisterModule(self::MODULE_ID);
    }

    public function hasDedupTable(): bool
    {
        return Application::getConnection()->isTableExists(self::DEDUP_TABLE);
    }

    public function createDedupTable(): void
    {
        global $DB;
        $errors = $DB->RunSQLBatch(dirname(__DIR__) . '/install/db/mysql/install.sql');
        if ($errors !== false) {
            throw ApiError::of(ErrorCode::CORE, implode('; ', (array)$errors));
        }
    }

    public function registerHandler(array $handler): void
    {
        [$module, $event, $class, $method, $d7] = $handler;
        $events = EventManager::getInstance();
        if ($d7) {
            $events->registerEventHandler($module, $event, self::MODULE_ID, $class, $method);
        } else {
            $events->registerEventHandlerCompatible($module, $event, self::MODULE_ID, $class, $method);
        }
    }

    public function unregisterHandler(array $handler): void
    {
        [$module, $event, $class, $method] = $handler;
        EventManager::getInstance()->unRegisterEventHandler($module, $event, self::MODULE_ID, $class, $method);
    }

    public function clearRestCache(): void
    {
        Cache::clearCache(true, '/rest/');
    }
}
