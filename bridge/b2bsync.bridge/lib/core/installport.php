<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What installing the module touches on the site (\B2bsync\Bridge\InstallSteps with
 * ModuleManager, EventManager and the database; in memory in the tests).
 *
 * A handler is [module, event, class, method, D7 (bool)].
 */
interface InstallPort
{
    /** Whether b_module holds the module (ModuleManager::isModuleInstalled). */
    public function isRegistered(): bool;

    /** ModuleManager::registerModule(): a plain INSERT into b_module, so never twice. */
    public function register(): void;

    public function unregister(): void;

    public function hasDedupTable(): bool;

    public function createDedupTable(): void;

    /** @param array{0: string, 1: string, 2: string, 3: string, 4: bool} $handler */
    public function registerHandler(array $handler): void;

    /** @param array{0: string, 1: string, 2: string, 3: string, 4: bool} $handler */
    public function unregisterHandler(array $handler): void;

    /** The rest module caches the scope list; a new or changed scope shows once it is cleared. */
    public function clearRestCache(): void;
}
