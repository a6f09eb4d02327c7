<?php

/**
 * Module settings (Settings → Product settings → Module settings → b2bsync bridge): where the
 * signed document links point, the shared secret (the same value as b2bsync's web.secret; it
 * also signs the wake-up pings), the links' lifetime, and b2bsync's address for wake-up pings
 * (empty: no pings, b2bsync finds changes by polling alone).
 *
 * @var CMain $APPLICATION
 */

use Bitrix\Main\Application;
use Bitrix\Main\Config\Option;
use Bitrix\Main\Localization\Loc;

$moduleId = 'b2bsync.bridge';
if ($APPLICATION->GetGroupRight($moduleId) < 'W') {
    $APPLICATION->AuthForm(Loc::getMessage('ACCESS_DENIED'));
}
Loc::loadMessages(__FILE__);

$request = Application::getInstance()->getContext()->getRequest();
$saved = false;
$error = '';
if ($request->isPost() && $request->getPost('save') !== null && check_bitrix_sessid()) {
    $baseUrl = trim((string)$request->getPost('link_base_url'));
    $sidecarUrl = trim((string)$request->getPost('sidecar_url'));
    $ttl = (int)$request->getPost('link_ttl');
    if (($baseUrl !== '' && !preg_match('~\Ahttps?://~', $baseUrl)) || ($sidecarUrl !== '' && !preg_match('~\Ahttps?://~', $sidecarUrl))) {
        $error = Loc::getMessage('B2BSYNC_BRIDGE_OPT_BAD_URL');
    } elseif ($ttl < 60) {
        $error = Loc::getMessage('B2BSYNC_BRIDGE_OPT_BAD_TTL');
    } else {
        Option::set($moduleId, 'link_base_url', $baseUrl);
        Option::set($moduleId, 'link_ttl', (string)$ttl);
        Option::set($moduleId, 'sidecar_url', $sidecarUrl);
        $secret = (string)$request->getPost('link_secret');
        if ($secret !== '') {
            Option::set($moduleId, 'link_secret', $secret);
        }
        $saved = true;
    }
}

if ($error !== '') {
    CAdminMessage::ShowMessage($error);
} elseif ($saved) {
    CAdminMessage::ShowNote(Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVED'));
}

$tabControl = new CAdminTabControl('b2bsync_bridge_options', [
    ['DIV' => 'links', 'TAB' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_TAB'), 'TITLE' => Loc::getMessage('B2BSYNC_BRIDGE_OPT_TAB_TITLE')],
]);
$secretSet = Option::get($moduleId, 'link_secret', '') !== '';
?>
<form method="post" action="<?= htmlspecialcharsbx($APPLICATION->GetCurPage()) ?>?mid=<?= urlencode($moduleId) ?>&amp;lang=<?= LANGUAGE_ID ?>">
    <?= bitrix_sessid_post() ?>
    <?php $tabControl->Begin(); ?>
    <?php $tabControl->BeginNextTab(); ?>
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
    <?php $tabControl->Buttons(); ?>
    <input type="submit" name="save" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_OPT_SAVE')) ?>" class="adm-btn-save">
    <?php $tabControl->End(); ?>
</form>
