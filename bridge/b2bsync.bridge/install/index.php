<?php

declare(strict_types=1);

use B2bsync\Bridge\Account;
use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\InstallSteps;
use B2bsync\Bridge\Log;
use Bitrix\Main\Application;
use Bitrix\Main\EventManager;
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
 * sale/OnSaleStatusOrderChange → OrderEvents (b2b_order_events rows), the HL entity events
 * <NAME>OnAfterAdd of B2bOrderEvents, OrderComments and B2bInvites → Wakeups (pings to b2bsync),
 * and the service group. The cabinet (InstallFiles: components copied to
 * /local/components/b2bsync/, indexes, the article index and its handlers, the bell) follows.
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

    /** The cabinet (components, the sale tables' indexes, the article index, the bell) and the invite pages. */
    public function InstallFiles()
    {
        $this->InstallCabinet();
        $this->InstallInvites();
        return true;
    }

    public function UnInstallFiles()
    {
        $this->UnInstallInvites();
        $this->UnInstallCabinet();
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

    // --- the cabinet (issue 12): components and the sale-table indexes, kept apart from the rest

    /** Directory (under the document root) the cabinet's components are copied to. */
    private const CABINET_COMPONENTS = '/local/components/b2bsync';

    /** Components, indexes and the article index; safe to run again (an upgrade copies the new components over). */
    public function InstallCabinet(): void
    {
        $this->InstallCabinetComponents();
        $this->InstallCabinetIndexes();
        $this->InstallCabinetArticleIndex();
        $this->InstallCabinetBell();
    }

    public function UnInstallCabinet(): void
    {
        $this->UnInstallCabinetBell();
        $this->UnInstallCabinetArticleIndex();
        $this->UnInstallCabinetIndexes();
        $this->UnInstallCabinetComponents();
    }

    /** HL-block events of b2b_notifications (module "" as HL data classes fire them) that push the bell's count. */
    private const CABINET_BELL_EVENTS = ['B2bNotificationsOnAfterAdd', 'B2bNotificationsOnAfterUpdate'];

    public function InstallCabinetBell(): void
    {
        $this->UnInstallCabinetBell();
        foreach (self::CABINET_BELL_EVENTS as $event) {
            EventManager::getInstance()->registerEventHandler('', $event, $this->MODULE_ID, '\\B2bsync\\Bridge\\Cabinet\\BellPush', 'onNotificationWritten');
        }
    }

    public function UnInstallCabinetBell(): void
    {
        foreach (self::CABINET_BELL_EVENTS as $event) {
            EventManager::getInstance()->unRegisterEventHandler('', $event, $this->MODULE_ID, '\\B2bsync\\Bridge\\Cabinet\\BellPush', 'onNotificationWritten');
        }
    }

    /** sale events handled by the article index (B2bsync\\Bridge\\Cabinet\\ArticleIndexer). */
    private const CABINET_HANDLERS = [['sale', 'OnSaleOrderSaved', 'onSaleOrderSaved'], ['sale', 'OnSaleOrderDeleted', 'onSaleOrderDeleted']];

    /**
     * The table b2bsync_cabinet_article, the handlers that keep it, and the agent that indexes the
     * orders placed before (once: it sets the module option article_index to "ready").
     */
    public function InstallCabinetArticleIndex(): void
    {
        global $DB;
        if (!ModuleManager::isModuleInstalled('sale')) {
            return;
        }
        $DB->RunSQLBatch(__DIR__ . '/db/mysql/cabinet.sql');
        $events = EventManager::getInstance();
        foreach (self::CABINET_HANDLERS as [$module, $event, $method]) {
            $events->unRegisterEventHandler($module, $event, $this->MODULE_ID, '\\B2bsync\\Bridge\\Cabinet\\ArticleIndexer', $method);
            $events->registerEventHandler($module, $event, $this->MODULE_ID, '\\B2bsync\\Bridge\\Cabinet\\ArticleIndexer', $method);
        }
        if (\Bitrix\Main\Config\Option::get($this->MODULE_ID, 'article_index', '') !== 'ready') {
            \CAgent::AddAgent('\\B2bsync\\Bridge\\Cabinet\\ArticleIndexer::fillAgent(0);', $this->MODULE_ID, 'N', 30);
        }
    }

    public function UnInstallCabinetArticleIndex(): void
    {
        $events = EventManager::getInstance();
        foreach (self::CABINET_HANDLERS as [$module, $event, $method]) {
            $events->unRegisterEventHandler($module, $event, $this->MODULE_ID, '\\B2bsync\\Bridge\\Cabinet\\ArticleIndexer', $method);
        }
        \CAgent::RemoveModuleAgents($this->MODULE_ID);
        \Bitrix\Main\Config\Option::delete($this->MODULE_ID, ['name' => 'article_index']);
        $connection = Application::getConnection();
        if ($connection->isTableExists('b2bsync_cabinet_article')) {
            $connection->dropTable('b2bsync_cabinet_article');
        }
    }

    /** install/components/b2bsync/* → /local/components/b2bsync/*, overwriting older copies. */
    public function InstallCabinetComponents(): void
    {
        CopyDirFiles(__DIR__ . '/components/b2bsync', Application::getDocumentRoot() . self::CABINET_COMPONENTS, true, true);
    }

    /** Removes /local/components/b2bsync (site templates' copies in /local/templates stay). */
    public function UnInstallCabinetComponents(): void
    {
        DeleteDirFilesEx(self::CABINET_COMPONENTS);
    }

    /** The indexes of B2bsync\Bridge\Core\CabinetIndexes, each only when missing and its table exists. */
    public function InstallCabinetIndexes(): void
    {
        require_once dirname(__DIR__) . '/lib/core/cabinetindexes.php';
        $connection = Application::getConnection();
        foreach (\B2bsync\Bridge\Core\CabinetIndexes::INDEXES as $index) {
            if ($connection->isTableExists($index['table']) && !$this->cabinetIndexNamed($index['table'], $index['name'])) {
                try {
                    $connection->queryExecute(\B2bsync\Bridge\Core\CabinetIndexes::createSql($index));
                } catch (\Bitrix\Main\DB\SqlQueryException) {
                    // an index key the server cannot hold whole: the prefixed variant
                    $connection->queryExecute(\B2bsync\Bridge\Core\CabinetIndexes::createSql($index, true));
                }
            }
        }
    }

    public function UnInstallCabinetIndexes(): void
    {
        require_once dirname(__DIR__) . '/lib/core/cabinetindexes.php';
        $connection = Application::getConnection();
        foreach (\B2bsync\Bridge\Core\CabinetIndexes::INDEXES as $index) {
            if ($connection->isTableExists($index['table']) && $this->cabinetIndexNamed($index['table'], $index['name'])) {
                $connection->queryExecute(\B2bsync\Bridge\Core\CabinetIndexes::dropSql($index));
            }
        }
    }

    /** Whether $table has an index of that name (SHOW INDEX; MySQL/MariaDB, as install.sql). */
    private function cabinetIndexNamed(string $table, string $name): bool
    {
        $helper = Application::getConnection()->getSqlHelper();
        $found = Application::getConnection()->query('SHOW INDEX FROM ' . $helper->quote($table) . " WHERE Key_name = '" . $helper->forSql($name) . "'")->fetch();
        return (bool)$found;
    }

    // --- the invite pages (issue 11): the login hand-off and who-am-I for b2bsync's accept page

    /** Where the pages are copied (under the document root); b2bsync's [invites] settings name them. */
    private const INVITE_TOOLS = '/bitrix/tools/b2bsync';

    /** The nonce table and the two pages; safe to run again (an upgrade copies the pages over). */
    public function InstallInvites(): void
    {
        $this->InstallInviteNonceTable();
        $this->InstallInviteTools();
    }

    public function UnInstallInvites(): void
    {
        $this->UnInstallInviteTools();
        $this->UnInstallInviteNonceTable();
    }

    /** b2bsync_bridge_handoff_nonce (CREATE TABLE IF NOT EXISTS): the hand-off's used nonces. */
    public function InstallInviteNonceTable(): void
    {
        global $DB;
        if (!Application::getConnection()->isTableExists('b2bsync_bridge_handoff_nonce')) {
            $errors = $DB->RunSQLBatch(__DIR__ . '/db/mysql/handoff.sql');
            if ($errors !== false) {
                throw new \RuntimeException(implode('; ', (array)$errors));
            }
        }
    }

    /** Nonces live 60 s: nothing in the table is worth keeping past an uninstall. */
    public function UnInstallInviteNonceTable(): void
    {
        $connection = Application::getConnection();
        if ($connection->isTableExists('b2bsync_bridge_handoff_nonce')) {
            $connection->dropTable('b2bsync_bridge_handoff_nonce');
        }
    }

    /** install/tools/b2bsync/*.php → /bitrix/tools/b2bsync/, overwriting older copies. */
    public function InstallInviteTools(): void
    {
        CopyDirFiles(__DIR__ . '/tools/b2bsync', Application::getDocumentRoot() . self::INVITE_TOOLS, true, true);
    }

    public function UnInstallInviteTools(): void
    {
        DeleteDirFilesEx(self::INVITE_TOOLS);
    }
}
