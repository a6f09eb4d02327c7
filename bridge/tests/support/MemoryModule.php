<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\InstallPort;

/**
 * b_module, b_module_to_module and the database as the installer sees them. register() is main
 * 25.550's plain INSERT: a second one fails like the DuplicateEntryException a real site throws.
 */
final class MemoryModule implements InstallPort
{
    public bool $registered = false;
    public bool $table = false;
    /** @var list<array{0: string, 1: string, 2: string, 3: string, 4: bool}> */
    public array $handlers = [];
    public int $cacheCleared = 0;

    public function isRegistered(): bool
    {
        return $this->registered;
    }

    public function register(): void
    {
        if ($this->registered) {
            throw new \RuntimeException("Duplicate entry 'b2bsync.bridge' for key 'PRIMARY' (b_module)");
        }
        $this->registered = true;
    }

    public function unregister(): void
    {
        $this->registered = false;
    }

    public function hasDedupTable(): bool
    {
        return $this->table;
    }

    public function createDedupTable(): void
    {
        if ($this->table) {
            throw new \RuntimeException('Table b2bsync_bridge_mail_dedup already exists');
        }
        $this->table = true;
    }

    public function registerHandler(array $handler): void
    {
        // EventManager adds a row per call: the same handler twice runs twice
        $this->handlers[] = $handler;
    }

    public function unregisterHandler(array $handler): void
    {
        $this->handlers = array_values(array_filter(
            $this->handlers,
            static fn (array $h): bool => array_slice($h, 0, 4) !== array_slice($handler, 0, 4)
        ));
    }

    public function clearRestCache(): void
    {
        $this->cacheCleared++;
    }
}
