<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
Loc::loadMessages(__FILE__);

/**
 * The cabinet's header, included by every page file: company switcher, menu, bell, finance
 * summary and the blocked-orders banner. The bell works as a plain link; script.js refreshes
 * its counter.
 *
 * @var array $arResult
 */
$header = $arResult['HEADER'];
$menu = [
    'orders' => Loc::getMessage('B2BSYNC_CABINET_H_MENU_ORDERS'),
    'documents' => Loc::getMessage('B2BSYNC_CABINET_H_MENU_DOCUMENTS'),
    'finance' => Loc::getMessage('B2BSYNC_CABINET_H_MENU_FINANCE'),
    'notifications' => Loc::getMessage('B2BSYNC_CABINET_H_MENU_NOTIFICATIONS'),
    'company' => Loc::getMessage('B2BSYNC_CABINET_H_MENU_COMPANY'),
];
?>
<header class="b2b-head">
    <div class="b2b-head__top">
        <div class="b2b-head__company">
            <?php if (count($header['COMPANIES']) > 1): ?>
                <form method="post" action="<?= htmlspecialcharsbx($arResult['SWITCH_URL']) ?>" class="b2b-switch">
                    <?= bitrix_sessid_post() ?>
                    <input type="hidden" name="b2b_action" value="cabinet.switch">
                    <label><span class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_COMPANY')) ?></span>
                        <select name="company_id">
                            <?php foreach ($header['COMPANIES'] as $company): ?>
                                <option value="<?= htmlspecialcharsbx($company['ID']) ?>"<?php if ($company['CURRENT']): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($company['NAME']) ?></option>
                            <?php endforeach; ?>
                        </select>
                    </label>
                    <button type="submit" class="b2b-button b2b-button--small"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_SWITCH')) ?></button>
                </form>
            <?php else: ?>
                <strong class="b2b-head__name"><?= htmlspecialcharsbx($header['COMPANY']['NAME']) ?></strong>
            <?php endif; ?>
            <span class="b2b-badge b2b-role"><?= htmlspecialcharsbx($header['ROLE_TITLE']) ?></span>
        </div>
        <a class="b2b-bell" href="<?= htmlspecialcharsbx($header['NOTIFICATIONS_URL']) ?>"
           data-b2b-bell data-url="<?= htmlspecialcharsbx($arResult['BELL']['URL']) ?>"
           data-refresh="<?= htmlspecialcharsbx($arResult['BELL']['REFRESH']) ?>"
           data-sessid="<?= htmlspecialcharsbx(bitrix_sessid()) ?>"
           title="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_BELL')) ?>">
            <svg class="b2b-bell__icon" aria-hidden="true" viewBox="0 0 24 24" width="20" height="20"><path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z" fill="currentColor"/></svg>
            <span class="b2b-bell__label"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_BELL')) ?></span>
            <span class="b2b-bell__count" data-b2b-unread<?php if ($header['UNREAD'] <= 0): ?> hidden<?php endif; ?>><?= htmlspecialcharsbx($header['UNREAD']) ?></span>
        </a>
    </div>
    <nav class="b2b-menu">
        <?php foreach ($header['MENU'] as $item): ?>
            <a class="b2b-menu__item<?php if ($item['ACTIVE']): ?> b2b-menu__item--active<?php endif; ?>" href="<?= htmlspecialcharsbx($item['URL']) ?>"<?php if ($item['ACTIVE']): ?> aria-current="page"<?php endif; ?>><?= htmlspecialcharsbx($menu[$item['PAGE']] ?? $item['PAGE']) ?></a>
        <?php endforeach; ?>
    </nav>
    <?php if ($header['FINANCE'] !== null): ?>
        <?php $f = $header['FINANCE']; ?>
        <p class="b2b-summary">
            <a class="b2b-link" href="<?= htmlspecialcharsbx($f['URL']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_FINANCE')) ?></a>:
            <?php if ($f['LIMIT'] !== ''): ?><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_LIMIT', ['#USED#' => $f['USED'], '#LIMIT#' => $f['LIMIT'], '#AVAILABLE#' => $f['AVAILABLE']])) ?><?php else: ?><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_USED', ['#USED#' => $f['USED']])) ?><?php endif; ?>
            <?php if ($f['HAS_OVERDUE']): ?><span class="b2b-danger">· <?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_OVERDUE', ['#AMOUNT#' => $f['OVERDUE'], '#DATE#' => $f['OVERDUE_SINCE']])) ?></span><?php endif; ?>
            <?php if ($f['STALE']): ?><span class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_STALE')) ?></span><?php endif; ?>
        </p>
    <?php endif; ?>
    <?php if ($header['BLOCKED'] !== null): ?>
        <p class="b2b-alert b2b-alert--error b2b-blocked" role="alert"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_CABINET_H_BLOCKED', ['#REASON#' => $header['BLOCKED']['REASON']])) ?></p>
    <?php endif; ?>
</header>
