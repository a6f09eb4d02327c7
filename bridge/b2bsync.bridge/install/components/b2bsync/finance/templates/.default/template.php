<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:finance, default template: the bar is a <progress> element (no script needed).
 *
 * @var array $arResult
 * @var array $arParams
 */
?>
<section class="b2b-finance">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php elseif (!$arResult['FINANCE']['KNOWN']): ?>
    <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_UNKNOWN')) ?></p>
<?php else: ?>
    <?php $f = $arResult['FINANCE']; ?>
    <?php if ($f['STALE']): ?>
        <p class="b2b-alert b2b-alert--stale" role="status"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_STALE', ['#AS_OF#' => $f['AS_OF']])) ?></p>
    <?php endif; ?>
    <?php if ($f['BLOCKED']): ?>
        <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_BLOCKED', ['#REASON#' => $f['BLOCK_REASON']])) ?></p>
    <?php endif; ?>
    <div class="b2b-credit">
        <div class="b2b-credit__line">
            <span><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_USED')) ?> <strong><?= htmlspecialcharsbx($f['USED']) ?></strong></span>
            <?php if ($f['LIMIT'] !== ''): ?>
                <span><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_LIMIT')) ?> <strong><?= htmlspecialcharsbx($f['LIMIT']) ?></strong></span>
            <?php endif; ?>
        </div>
        <progress class="b2b-credit__bar<?php if ($f['OVER_LIMIT']): ?> b2b-credit__bar--over<?php endif; ?>" max="100" value="<?= htmlspecialcharsbx($f['PERCENT']) ?>"><?= htmlspecialcharsbx($f['PERCENT']) ?>%</progress>
        <?php if ($f['LIMIT'] !== ''): ?>
            <p class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_AVAILABLE', ['#AMOUNT#' => $f['AVAILABLE'], '#PERCENT#' => $f['PERCENT']])) ?></p>
        <?php endif; ?>
    </div>
    <dl class="b2b-facts">
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_OVERDUE')) ?></dt>
        <dd class="<?= htmlspecialcharsbx($f['HAS_OVERDUE'] ? 'b2b-danger' : '') ?>">
            <?= htmlspecialcharsbx($f['OVERDUE']) ?>
            <?php if ($f['OVERDUE_SINCE'] !== ''): ?><span class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_SINCE', ['#DATE#' => $f['OVERDUE_SINCE']])) ?></span><?php endif; ?>
        </dd>
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_MONTH')) ?></dt>
        <dd><?= htmlspecialcharsbx($f['MONTH_ORDERS']) ?></dd>
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_FINANCE_T_AS_OF')) ?></dt>
        <dd><?= htmlspecialcharsbx($f['AS_OF'] !== '' ? $f['AS_OF'] : '—') ?></dd>
    </dl>
<?php endif; ?>
</section>
