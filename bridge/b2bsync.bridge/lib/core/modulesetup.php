<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Installing, upgrading and uninstalling the module: every step can run again, so the upgrade is
 * "copy the new files, run the installation again" (the module's settings page has the button;
 * DoInstall() does the same).
 *
 * Install: the mail dedup table when missing, the module's b_module row when missing (main
 * 25.550's registerModule() is a plain insert: a second one throws DuplicateEntryException), the
 * event handlers (REST scope, status log, order guard, wake-up pings) unregistered and registered
 * again (so an upgrade that renames a class or method, or adds a handler, takes effect), the
 * service group (ServiceAccount), the rest module's cache cleared.
 * Uninstall: handlers and registration removed, the service user switched off and its webhooks
 * deleted; the dedup table, the template records and the options stay, so a reinstall never
 * sends a mail twice.
 */
final class ModuleSetup
{
    /** @var list<array{0: string, 1: string, 2: string, 3: string, 4: bool}> module, event, class, method, D7 */
    public const HANDLERS = [
        ['rest', 'OnRestServiceBuildDescription', '\\B2bsync\\Bridge\\RestService', 'onRestServiceBuildDescription', false],
        ['sale', 'OnSaleStatusOrderChange', '\\B2bsync\\Bridge\\OrderEvents', 'onSaleStatusOrderChange', true],
        // the order guard: company link, refusal or the pending status before a new order is saved
        ['sale', 'OnSaleOrderBeforeSaved', '\\B2bsync\\Bridge\\CheckoutGuard', 'onSaleOrderBeforeSaved', true],
        // wake-up pings: entity events of the watched HL-blocks (module '' as for every HL entity)
        ['', 'B2bOrderEventsOnAfterAdd', '\\B2bsync\\Bridge\\Wakeups', 'onRowAdded', true],
        ['', 'OrderCommentsOnAfterAdd', '\\B2bsync\\Bridge\\Wakeups', 'onRowAdded', true],
        ['', 'B2bInvitesOnAfterAdd', '\\B2bsync\\Bridge\\Wakeups', 'onRowAdded', true],
    ];

    public function __construct(private readonly InstallPort $port, private readonly ServiceAccount $account)
    {
    }

    /** @return list<string> what was done, one word each (for the installer's log and the tests) */
    public function install(): array
    {
        $done = [];
        if (!$this->port->hasDedupTable()) {
            $this->port->createDedupTable();
            $done[] = 'table';
        }
        if (!$this->port->isRegistered()) {
            $this->port->register();
            $done[] = 'module';
        }
        $this->handlers();
        $done[] = 'handlers';
        $this->account->group();
        $done[] = 'service_group';
        $this->port->clearRestCache();
        return $done;
    }

    /** Every handler of the module, registered once (unregistered first). */
    public function handlers(): void
    {
        foreach (self::HANDLERS as $handler) {
            $this->port->unregisterHandler($handler);
            $this->port->registerHandler($handler);
        }
    }

    public function uninstall(): void
    {
        foreach (self::HANDLERS as $handler) {
            $this->port->unregisterHandler($handler);
        }
        $this->account->disable();
        if ($this->port->isRegistered()) {
            $this->port->unregister();
        }
        $this->port->clearRestCache();
    }
}
