<?php

use Bitrix\Main\Localization\Loc;

if (!check_bitrix_sessid()) {
    return;
}
Loc::loadMessages(__FILE__);
CAdminMessage::ShowNote(Loc::getMessage('B2BSYNC_BRIDGE_STEP_INSTALLED'));
echo '<p>' . Loc::getMessage('B2BSYNC_BRIDGE_STEP_NEXT') . '</p>';
?>
<form action="<?= htmlspecialcharsbx($APPLICATION->GetCurPage()) ?>">
    <input type="hidden" name="lang" value="<?= LANGUAGE_ID ?>">
    <input type="submit" value="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_BRIDGE_STEP_BACK')) ?>">
</form>
