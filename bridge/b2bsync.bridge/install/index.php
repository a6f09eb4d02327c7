<?php

declare(strict_types=1);

use B2bsync\Bridge\Account;
use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\InstallSteps;
use B2bsync\Bridge\Log;
use Bitrix\Main\Localization\Loc;
use Bitrix\Main\ModuleManager;

Loc::loadMessages(__FILE__);

/**
 * Installer of b2bsync.bridge (class named after the module id, "." → "_", as Bitrix requires).
 * Install from Marketplace → Installed solutions (/bitrix/admin/partner_modules.php), which lists
 * the modules of /local/modules/; the module's settings page runs the same steps again as the
 * upgrade ("Run the installation again"), as does calling DoInstall() a second time.
 *
 * The module's own steps are Core\ModuleSetup's (each idempotent, tested without Bitrix): the
 * mail dedup table, the b_module row (only when missing: main 25.550's registerModule() is a plain
 * insert), the handlers rest/OnRestServiceBuildDescription → RestService (the b2bsync scope) and
 * sale/OnSaleStatusOrderChange → OrderEvents (b2b_order_events rows), and the service group.
 * Uninstalling removes the handlers and the registration, switches the service user off and
 * deletes its webhooks; the dedup table, the template records and the options are kept, so a
 * reinstall never sends a mail twice.
 */
class b2bsync_bridge extends CModule
{
    public $MODULE_ID = 'b2bsync.bridge';
    public $MODULE_VERSION;
    public $MODULE_VERSION_DATE;
    public $MODULE_NAME;
    public $MODULE_DESCRIPTION;
    public $PARTNER_NAME;
    public $PARTNER_URI;

    public function __construct()
    {
        $arModuleVersion = [];
        include __DIR__ . '/version.php';
        $this->MODULE_VERSION = $arModuleVersion['VERSION'];
        $this->MODULE_VERSION_DATE = $arModuleVersion['VERSION_DATE'];
        $this->MODULE_NAME = Loc::getMessage('B2BSYNC_BRIDGE_MODULE_NAME');
        $this->MODULE_DESCRIPTION = Loc::getMessage('B2BSYNC_BRIDGE_MODULE_DESCRIPTION');
        $this->PARTNER_NAME = Loc::getMessage('B2BSYNC_BRIDGE_PARTNER_NAME');
        $this->PARTNER_URI = Loc::getMessage('B2BSYNC_BRIDGE_PARTNER_URI');
    }

    public function DoInstall()
    {
        global $APPLICATION;
        if (!$this->CheckRequirements()) {
            return false;
        }
        try {
            $this->InstallModuleSteps();
        } catch (\Throwable $e) {
            Log::error($e, 'install');
            $APPLICATION->ThrowException(Loc::getMessage('B2BSYNC_BRIDGE_INSTALL_FAILED', ['#ERROR#' => $e->getMessage()]));
            return false;
        }
        $this->InstallFiles();
        $this->showStep('B2BSYNC_BRIDGE_INSTALL_TITLE', 'step.php');
        return true;
    }

    public function DoUninstall()
    {
        $this->UnInstallFiles();
        self::setup()->uninstall();
        $this->showStep('B2BSYNC_BRIDGE_UNINSTALL_TITLE', 'unstep.php');
        return true;
    }

    /** PHP 8.1 and the rest and highloadblock modules. */
    public function CheckRequirements(): bool
    {
        global $APPLICATION;
        if (PHP_VERSION_ID < 80100) {
            $APPLICATION->ThrowException(Loc::getMessage('B2BSYNC_BRIDGE_INSTALL_PHP'));
            return false;
        }
        foreach (['rest', 'highloadblock'] as $required) {
            if (!ModuleManager::isModuleInstalled($required)) {
                $APPLICATION->ThrowException(Loc::getMessage('B2BSYNC_BRIDGE_INSTALL_NEEDS', ['#MODULE#' => $required]));
                return false;
            }
        }
        return true;
    }

    /**
     * Table, b_module row, handlers, service group: safe to run on an installed module (the
     * upgrade path).
     * @return list<string> the steps done
     */
    public function InstallModuleSteps(): array
    {
        return self::setup()->install();
    }

    public function InstallDB()
    {
        $steps = new InstallSteps();
        if (!$steps->hasDedupTable()) {
            $steps->createDedupTable();
        }
        return true;
    }

    public function UnInstallDB()
    {
        return true;
    }

    public function InstallEvents()
    {
        self::setup()->handlers();
        return true;
    }

    public function UnInstallEvents()
    {
        $steps = new InstallSteps();
        foreach (ModuleSetup::HANDLERS as $handler) {
            $steps->unregisterHandler($handler);
        }
        return true;
    }

    public function InstallFiles()
    {
        return true;
    }

    public function UnInstallFiles()
    {
        return true;
    }

    private static function setup(): ModuleSetup
    {
        // the module is not registered yet: load its classes the way include.php registers them
        require_once dirname(__DIR__) . '/include.php';
        return new ModuleSetup(new InstallSteps(), new ServiceAccount(new Account()));
    }

    /** The admin panel's result page; nothing when called outside it (e.g. from a script). */
    private function showStep(string $title, string $file): void
    {
        global $APPLICATION;
        if (defined('ADMIN_SECTION') && ADMIN_SECTION === true && is_object($APPLICATION)) {
            $APPLICATION->IncludeAdminFile(Loc::getMessage($title), __DIR__ . '/' . $file);
        }
    }
}
