<?php

/**
 * Module settings (Settings → System settings → Module settings → b2bsync: REST bridge, i.e.
 * /bitrix/admin/settings.php?mid=b2bsync.bridge). Four tabs:
 *
 * - Service account: makes the service group's user and its inbound webhook (scopes sale and
 *   b2bsync; a "Site Management" edition has no webhook screen of its own) and shows the URL to
 *   copy into b2bsync's bitrix.webhook_url; a new secret on request (the old one stops working).
 * - Access: the HL-blocks b2bsync may use besides the ones `schema apply` declared, and the
 *   groups b2bsync.user.add may put new users in.
 * - Document links: where signed links point, their shared secret (the same value as b2bsync's
 *   web.secret; it also signs the wake-up pings) and lifetime, and b2bsync's address for wake-up
 *   pings (empty: no pings, b2bsync finds changes by polling alone).
 * - Installation: runs the installer's steps again (the upgrade after copying new files).
 *
 * @var CMain $APPLICATION
 */

use B2bsync\Bridge\Access;
use B2bsync\Bridge\Account;
use B2bsync\Bridge\Core\AccessPolicy;
use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\InstallSteps;
use B2bsync\Bridge\Log;
use Bitrix\Highloadblock\HighloadBlockTable;
use Bitrix\Main\Application;
use Bitrix\Main\Config\Option;
use Bitrix\Main\GroupTable;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

$moduleId = 'b2bsync.bridge';
if ($APPLICATION->GetGroupRight($moduleId) < 'W' && !$GLOBALS['USER']->IsAdmin()) {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
}
Loc::loadMessages(__FILE__);
Loader::includeModule($moduleId);

$request = Application::getInstance()->getContext()->getRequest();
$account = new ServiceAccount(new Account());
$messages = [];
$errors = [];
$shownSecret = null;

$blockNames = [];
if (Loader::includeModule('highloadblock')) {
    $rows = HighloadBlockTable::getList(['select' => ['NAME'], 'order' => ['NAME' => 'ASC']]);
    while ($row = $rows->fetch()) {
        $blockNames[] = (string)$row['NAME'];
    }
}

if ($request->isPost() && check_bitrix_sessid()) {
    try {
        if ($request->getPost('service_account') !== null || $request->getPost('new_secret') !== null) {
            $email = trim((string)$request->getPost('service_email'));
            $hook = $account->webhook($email, $request->getPost('new_secret') !== null);
            $shownSecret = $hook;
            $messages[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCOUNT_READY');
        } elseif ($request->getPost('save_access') !== null) {
            $status = $account->status();
            $blocks = AccessPolicy::cleanAllowedBlocks((array)$request->getPost('hl_allowed'), $blockNames);
            $groups = AccessPolicy::cleanUserGroups((array)$request->getPost('user_groups'), $status['GROUP_ID']);
            Option::set($moduleId, Access::OPTION_ALLOWED, json_encode($blocks, JSON_THROW_ON_ERROR));
            Option::set($moduleId, Access::OPTION_USER_GROUPS, json_encode($groups, JSON_THROW_ON_ERROR));
            $messages[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVED');
        } elseif ($request->getPost('save_links') !== null) {
            $baseUrl = trim((string)$request->getPost('link_base_url'));
            $sidecarUrl = rtrim(trim((string)$request->getPost('sidecar_url')), '/');
            $ttl = (int)$request->getPost('link_ttl');
            if (($baseUrl !== '' && !preg_match('~\Ahttps?://~', $baseUrl)) || ($sidecarUrl !== '' && !preg_match('~\Ahttps?://~', $sidecarUrl))) {
                $errors[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_BAD_URL');
            } elseif ($ttl < 60) {
                $errors[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_BAD_TTL');
            } else {
                Option::set($moduleId, 'link_base_url', $baseUrl);
                Option::set($moduleId, 'link_ttl', (string)$ttl);
                Option::set($moduleId, 'sidecar_url', $sidecarUrl);
                $secret = (string)$request->getPost('link_secret');
                if ($secret !== '') {
                    Option::set($moduleId, 'link_secret', $secret);
                }
                $messages[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVED');
            }
        } elseif ($request->getPost('reinstall') !== null) {
            $done = (new ModuleSetup(new InstallSteps(), $account))->install();
            // the cabinet's components, indexes and handlers come with the new files too
            require_once __DIR__ . '/install/index.php';
            $installer = new b2bsync_bridge();
            $installer->InstallCabinet();
            $installer->InstallInvites();
            $done[] = 'cabinet';
            $done[] = 'invites';
            $messages[] = Loc::getMessage('B2BSYNC_BRIDGE_OPT_REINSTALLED', ['#STEPS#' => implode(', ', $done)]);
        }
    } catch (\Throwable $e) {
        Log::error($e, 'options');
        $errors[] = $e->getMessage();
    }
}

foreach ($errors as $error) {
    CAdminMessage::ShowMessage($error);
}
foreach ($messages as $message) {
    CAdminMessage::ShowNote($message);
}

$status = $account->status();
$hook = $shownSecret ?? $status['WEBHOOK'];
$siteUrl = ($request->isHttps() ? 'https://' : 'http://') . $request->getHttpHost();
$webhookUrl = $hook !== null ? ServiceAccount::url($siteUrl, (int)$hook['USER_ID'], (string)$hook['PASSWORD']) : '';
$access = new Access();
$declared = $access->declaredBlocks();
$allowed = $access->allowedBlocks();
$userGroups = $access->userGroups();
$groups = [];
$rows = GroupTable::getList(['select' => ['ID', 'NAME'], 'order' => ['C_SORT' => 'ASC', 'ID' => 'ASC']]);
while ($row = $rows->fetch()) {
    if (!in_array((int)$row['ID'], [AccessPolicy::ADMIN_GROUP, AccessPolicy::EVERYONE_GROUP, $status['GROUP_ID']], true)) {
        $groups[(int)$row['ID']] = (string)$row['NAME'];
    }
}
$defaultEmail = $status['USER']['EMAIL'] ?? Option::get('main', 'email_from', '');
$secretSet = Option::get($moduleId, 'link_secret', '') !== '';
$action = htmlspecialcharsbx($APPLICATION->GetCurPage()) . '?mid=' . urlencode($moduleId) . '&amp;lang=' . LANGUAGE_ID;

$tabControl = new CAdminTabControl('b2bsync_bridge_options', [
    ['DIV' => 'account', 'TAB' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCOUNT_TAB'), 'TITLE' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCOUNT_TITLE')],
    ['DIV' => 'access', 'TAB' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCESS_TAB'), 'TITLE' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCESS_TITLE')],
    ['DIV' => 'links', 'TAB' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_TAB'), 'TITLE' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_TAB_TITLE')],
    ['DIV' => 'install', 'TAB' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_INSTALL_TAB'), 'TITLE' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_INSTALL_TITLE')],
]);
$tabControl->Begin();
?>
<?php $tabControl->BeginNextTab(); ?>
<tr><td colspan="2">
<form method="post" action="<?= $action ?>">
    <?= bitrix_sessid_post() ?>
    <p><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCOUNT_HELP') ?></p>
    <p>
        <?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_GROUP') ?>
        <b><?= $status['GROUP_ID'] !== null ? (int)$status['GROUP_ID'] : '—' ?></b>,
        <?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_USER') ?>
        <b><?= $status['USER'] !== null ? htmlspecialcharsbx($status['USER']['LOGIN']) . ' (ID ' . (int)$status['USER']['ID'] . ')' : '—' ?></b>
    </p>
    <p>
        <label for="service_email"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_EMAIL') ?></label>
        <input type="email" size="40" id="service_email" name="service_email" value="<?= htmlspecialcharsbx((string)$defaultEmail) ?>">
        <input type="submit" name="service_account" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_ACCOUNT_MAKE')) ?>" class="adm-btn-save">
        <?php if ($hook !== null): ?>
            <input type="submit" name="new_secret" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_NEW_SECRET')) ?>">
        <?php endif; ?>
    </p>
    <?php if ($webhookUrl !== ''): ?>
        <p>
            <label for="b2bsync_webhook_url"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_WEBHOOK_URL') ?></label><br>
            <input type="text" readonly size="90" id="b2bsync_webhook_url" value="<?= htmlspecialcharsbx($webhookUrl) ?>">
            <input type="button" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_COPY')) ?>"
                   onclick="var f=document.getElementById('b2bsync_webhook_url');f.select();navigator.clipboard&amp;&amp;navigator.clipboard.writeText(f.value);">
        </p>
        <?php if (!$request->isHttps()): ?>
            <p><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_HTTPS') ?></p>
        <?php endif; ?>
    <?php endif; ?>
</form>
</td></tr>
<?php $tabControl->BeginNextTab(); ?>
<tr><td colspan="2">
<form method="post" action="<?= $action ?>">
    <?= bitrix_sessid_post() ?>
    <p><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_BLOCKS_HELP') ?></p>
    <?php foreach ($blockNames as $name): ?>
        <?php $isDeclared = in_array($name, $declared, true); ?>
        <label>
            <input type="checkbox" name="hl_allowed[]" value="<?= htmlspecialcharsbx($name) ?>"
                <?= ($isDeclared || in_array($name, $allowed, true)) ? 'checked' : '' ?> <?= $isDeclared ? 'disabled' : '' ?>>
            <?= htmlspecialcharsbx($name) ?><?= $isDeclared ? ' — ' . htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_DECLARED')) : '' ?>
        </label><br>
    <?php endforeach; ?>
    <p><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_GROUPS_HELP') ?></p>
    <?php foreach ($groups as $id => $name): ?>
        <label>
            <input type="checkbox" name="user_groups[]" value="<?= (int)$id ?>" <?= in_array($id, $userGroups, true) ? 'checked' : '' ?>>
            <?= htmlspecialcharsbx($name) ?> (<?= (int)$id ?>)
        </label><br>
    <?php endforeach; ?>
    <p><input type="submit" name="save_access" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVE')) ?>" class="adm-btn-save"></p>
</form>
</td></tr>
<?php $tabControl->BeginNextTab(); ?>
<tr><td colspan="2">
<form method="post" action="<?= $action ?>">
    <?= bitrix_sessid_post() ?>
    <table class="adm-detail-content-table edit-table">
        <tr>
            <td width="40%"><label for="link_base_url"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_BASE_URL') ?></label></td>
            <td width="60%"><input type="text" size="60" id="link_base_url" name="link_base_url" value="<?= htmlspecialcharsbx(Option::get($moduleId, 'link_base_url', '')) ?>"></td>
        </tr>
        <tr>
            <td><label for="link_secret"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_SECRET') ?></label></td>
            <td>
                <input type="password" size="60" id="link_secret" name="link_secret" value="" autocomplete="new-password">
                <br><?= Loc::getMessage($secretSet ? 'B2BSYNC_BRIDGE_OPT_SECRET_SET' : 'B2BSYNC_BRIDGE_OPT_SECRET_UNSET') ?>
            </td>
        </tr>
        <tr>
            <td><label for="link_ttl"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_TTL') ?></label></td>
            <td><input type="number" min="60" id="link_ttl" name="link_ttl" value="<?= (int)Option::get($moduleId, 'link_ttl', '86400') ?>"></td>
        </tr>
        <tr>
            <td><label for="sidecar_url"><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_SIDECAR') ?></label></td>
            <td>
                <input type="text" size="60" id="sidecar_url" name="sidecar_url" value="<?= htmlspecialcharsbx(Option::get($moduleId, 'sidecar_url', '')) ?>">
                <br><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_SIDECAR_HINT') ?>
            </td>
        </tr>
    </table>
    <p><input type="submit" name="save_links" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVE')) ?>" class="adm-btn-save"></p>
</form>
</td></tr>
<?php $tabControl->BeginNextTab(); ?>
<tr><td colspan="2">
<form method="post" action="<?= $action ?>">
    <?= bitrix_sessid_post() ?>
    <p><?= Loc::getMessage('B2BSYNC_BRIDGE_OPT_INSTALL_HELP') ?></p>
    <p><input type="submit" name="reinstall" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_REINSTALL')) ?>"></p>
</form>
</td></tr>
<?php $tabControl->End(); ?>
