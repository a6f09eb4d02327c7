<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:orders, default template: renders and escapes; every value comes from arResult.
 *
 * @var array $arResult
 * @var array $arParams
 */
$approvals = [
    'pending' => Loc::getMessage('B2BSYNC_ORDERS_T_APPROVAL_PENDING'),
    'approved' => Loc::getMessage('B2BSYNC_ORDERS_T_APPROVAL_APPROVED'),
    'rejected' => Loc::getMessage('B2BSYNC_ORDERS_T_APPROVAL_REJECTED'),
];
$fields = [
    'status' => Loc::getMessage('B2BSYNC_ORDERS_T_STATUS'),
    'from' => Loc::getMessage('B2BSYNC_ORDERS_T_FROM'),
    'to' => Loc::getMessage('B2BSYNC_ORDERS_T_TO'),
    'manager' => Loc::getMessage('B2BSYNC_ORDERS_T_MANAGER'),
    'author' => Loc::getMessage('B2BSYNC_ORDERS_T_AUTHOR'),
    'number' => Loc::getMessage('B2BSYNC_ORDERS_T_NUMBER'),
    'article' => Loc::getMessage('B2BSYNC_ORDERS_T_ARTICLE'),
];
?>
<section class="b2b-orders">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php else: ?>
    <?php $filter = $arResult['FILTER']; ?>
    <form class="b2b-filter" method="get" action="" role="search">
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['number']) ?>
            <input type="text" name="number" maxlength="100" value="<?= htmlspecialcharsbx($filter['number'] ?? '') ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['article']) ?>
            <input type="text" name="article" maxlength="100" value="<?= htmlspecialcharsbx($filter['article'] ?? '') ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['status']) ?>
            <select name="status">
                <option value=""><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_ANY')) ?></option>
                <?php foreach ($arResult['STATUSES'] as $status): ?>
                    <option value="<?= htmlspecialcharsbx($status['ID']) ?>"<?php if (in_array($status['ID'], (array)$filter['status'], true)): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($status['NAME']) ?></option>
                <?php endforeach; ?>
            </select>
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['from']) ?>
            <input type="date" name="from" value="<?= htmlspecialcharsbx($filter['from'] ?? '') ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['to']) ?>
            <input type="date" name="to" value="<?= htmlspecialcharsbx($filter['to'] ?? '') ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['author']) ?>
            <select name="author">
                <option value=""><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_ANYONE')) ?></option>
                <?php foreach ($arResult['AUTHORS'] as $person): ?>
                    <option value="<?= htmlspecialcharsbx($person['ID']) ?>"<?php if ((string)$person['ID'] === ($filter['author'] ?? '')): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($person['NAME']) ?></option>
                <?php endforeach; ?>
            </select>
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['manager']) ?>
            <select name="manager">
                <option value=""><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_ANYONE')) ?></option>
                <?php foreach ($arResult['MANAGERS'] as $person): ?>
                    <option value="<?= htmlspecialcharsbx($person['ID']) ?>"<?php if ((string)$person['ID'] === ($filter['manager'] ?? '')): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($person['NAME']) ?></option>
                <?php endforeach; ?>
            </select>
        </label>
        <div class="b2b-filter__buttons">
            <button type="submit" class="b2b-button"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_SEARCH')) ?></button>
            <?php if ($arResult['SEARCHED']): ?>
                <a class="b2b-link" href="?"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_RESET')) ?></a>
            <?php endif; ?>
        </div>
    </form>
    <?php if ($arResult['ERRORS'] !== []): ?>
        <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_BAD_FILTER')) ?>
            <?php foreach (array_unique($arResult['ERRORS']) as $name): ?>
                <span class="b2b-bad-field"><?= htmlspecialcharsbx($fields[$name] ?? $name) ?></span>
            <?php endforeach; ?>
        </p>
    <?php endif; ?>
    <?php if ($arResult['ORDERS'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage($arResult['SEARCHED'] ? 'B2BSYNC_ORDERS_T_NOTHING_FOUND' : 'B2BSYNC_ORDERS_T_NO_ORDERS')) ?></p>
    <?php else: ?>
        <table class="b2b-table b2b-orders__table">
            <thead>
            <tr>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_NUMBER')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_DATE')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_STATUS')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_APPROVAL')) ?></th>
                <th class="b2b-num"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_TOTAL')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_COL_AUTHOR')) ?></th>
            </tr>
            </thead>
            <tbody>
            <?php foreach ($arResult['ORDERS'] as $order): ?>
                <tr class="b2b-order" data-order-id="<?= htmlspecialcharsbx($order['ID']) ?>">
                    <td><a href="<?= htmlspecialcharsbx($order['URL']) ?>"><?= htmlspecialcharsbx($order['NUMBER']) ?></a></td>
                    <td><?= htmlspecialcharsbx($order['DATE']) ?></td>
                    <td><span class="b2b-status b2b-status--<?= htmlspecialcharsbx(strtolower($order['STATUS_ID'])) ?>"><?= htmlspecialcharsbx($order['STATUS']) ?></span></td>
                    <td><?php if ($order['APPROVAL'] !== null): ?><span class="b2b-badge b2b-badge--<?= htmlspecialcharsbx($order['APPROVAL']) ?>"><?= htmlspecialcharsbx($approvals[$order['APPROVAL']]) ?></span><?php endif; ?></td>
                    <td class="b2b-num"><?= htmlspecialcharsbx($order['TOTAL']) ?></td>
                    <td><?= htmlspecialcharsbx($order['AUTHOR']) ?></td>
                </tr>
            <?php endforeach; ?>
            </tbody>
        </table>
        <?php $paging = $arResult['PAGING']; ?>
        <nav class="b2b-paging" aria-label="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_PAGES')) ?>">
            <span><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_FOUND', ['#TOTAL#' => $paging['TOTAL'], '#PAGE#' => $paging['PAGE'], '#PAGES#' => $paging['PAGES']])) ?></span>
            <?php if ($paging['PREV'] !== null): ?><a class="b2b-link" rel="prev" href="<?= htmlspecialcharsbx($paging['PREV']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_PREV')) ?></a><?php endif; ?>
            <?php if ($paging['NEXT'] !== null): ?><a class="b2b-link" rel="next" href="<?= htmlspecialcharsbx($paging['NEXT']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDERS_T_NEXT')) ?></a><?php endif; ?>
        </nav>
    <?php endif; ?>
<?php endif; ?>
</section>
