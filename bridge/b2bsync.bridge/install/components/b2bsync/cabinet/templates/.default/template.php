<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:cabinet, default template: shown when the cabinet cannot show a page (not set up, no
 * company, a page the role may not open, an unknown address); the header stays when it is known.
 * Each page has its own file (orders.php, order.php, …) that includes header.php and the page's
 * component.
 *
 * @var array $arResult
 * @var array $arParams
 */
?>
<div class="b2b-cabinet">
    <?php if (isset($arResult['HEADER'])): ?>
        <?php include __DIR__ . '/header.php'; ?>
    <?php endif; ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE'] ?? Loc::getMessage('B2BSYNC_CABINET_T_UNAVAILABLE')) ?></p>
</div>
