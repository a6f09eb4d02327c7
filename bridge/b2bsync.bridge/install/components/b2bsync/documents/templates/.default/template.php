<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:documents, default template. Download links go through the component (?download=ID),
 * which checks the role and the company before sending anything.
 *
 * @var array $arResult
 * @var array $arParams
 */
$types = [
    'invoice' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE_INVOICE'),
    'waybill' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE_WAYBILL'),
    'reconciliation' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE_RECONCILIATION'),
    'upd' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE_UPD'),
    'act' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE_ACT'),
];
$fields = [
    'type' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TYPE'),
    'from' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_FROM'),
    'to' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_TO'),
    'number' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_NUMBER'),
    'order' => Loc::getMessage('B2BSYNC_DOCUMENTS_T_ORDER'),
];
?>
<section class="b2b-documents">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php else: ?>
    <?php $filter = $arResult['FILTER']; ?>
    <form class="b2b-filter" method="get" action="" role="search">
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['type']) ?>
            <select name="type">
                <option value=""><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_ANY')) ?></option>
                <?php foreach ($arResult['TYPES'] as $type): ?>
                    <option value="<?= htmlspecialcharsbx($type) ?>"<?php if ($filter['type'] === $type): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($types[$type] ?? $type) ?></option>
                <?php endforeach; ?>
            </select>
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['from']) ?>
            <input type="date" name="from" value="<?= htmlspecialcharsbx($filter['from']) ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['to']) ?>
            <input type="date" name="to" value="<?= htmlspecialcharsbx($filter['to']) ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['number']) ?>
            <input type="text" name="number" maxlength="50" value="<?= htmlspecialcharsbx($filter['number']) ?>">
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx($fields['order']) ?>
            <input type="text" name="order" inputmode="numeric" maxlength="12" value="<?= htmlspecialcharsbx($filter['order']) ?>">
        </label>
        <div class="b2b-filter__buttons">
            <button type="submit" class="b2b-button"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_SEARCH')) ?></button>
        </div>
    </form>
    <?php if ($arResult['ERRORS'] !== []): ?>
        <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_BAD_FILTER')) ?>
            <?php foreach (array_unique($arResult['ERRORS']) as $name): ?>
                <span class="b2b-bad-field"><?= htmlspecialcharsbx($fields[$name] ?? $name) ?></span>
            <?php endforeach; ?>
        </p>
    <?php endif; ?>
    <?php if ($arResult['DOCUMENTS'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_NONE')) ?></p>
    <?php else: ?>
        <table class="b2b-table">
            <thead>
            <tr>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_COL_TYPE')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_COL_NUMBER')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_COL_DATE')) ?></th>
                <th class="b2b-num"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_COL_AMOUNT')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_COL_ORDER')) ?></th>
                <th></th>
            </tr>
            </thead>
            <tbody>
            <?php foreach ($arResult['DOCUMENTS'] as $document): ?>
                <tr class="b2b-document" data-document-id="<?= htmlspecialcharsbx($document['ID']) ?>">
                    <td><?= htmlspecialcharsbx($types[$document['TYPE']] ?? $document['TYPE']) ?></td>
                    <td><?= htmlspecialcharsbx($document['NUMBER']) ?></td>
                    <td><?= htmlspecialcharsbx($document['DATE']) ?></td>
                    <td class="b2b-num"><?= htmlspecialcharsbx($document['AMOUNT']) ?></td>
                    <td><?php if ($document['ORDER_URL'] !== null): ?><a class="b2b-link" href="<?= htmlspecialcharsbx($document['ORDER_URL']) ?>"><?= htmlspecialcharsbx($document['ORDER_ID']) ?></a><?php elseif ($document['ORDER_ID'] !== null): ?><?= htmlspecialcharsbx($document['ORDER_ID']) ?><?php endif; ?></td>
                    <td><?php if ($document['URL'] !== null): ?><a class="b2b-button b2b-button--small" href="<?= htmlspecialcharsbx($document['URL']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_DOWNLOAD')) ?></a><?php else: ?><span class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_NO_FILE')) ?></span><?php endif; ?></td>
                </tr>
            <?php endforeach; ?>
            </tbody>
        </table>
        <?php $paging = $arResult['PAGING']; ?>
        <nav class="b2b-paging" aria-label="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_PAGES')) ?>">
            <span><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_FOUND', ['#TOTAL#' => $paging['TOTAL'], '#PAGE#' => $paging['PAGE'], '#PAGES#' => $paging['PAGES']])) ?></span>
            <?php if ($paging['PREV'] !== null): ?><a class="b2b-link" rel="prev" href="<?= htmlspecialcharsbx($paging['PREV']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_PREV')) ?></a><?php endif; ?>
            <?php if ($paging['NEXT'] !== null): ?><a class="b2b-link" rel="next" href="<?= htmlspecialcharsbx($paging['NEXT']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_DOCUMENTS_T_NEXT')) ?></a><?php endif; ?>
        </nav>
    <?php endif; ?>
<?php endif; ?>
</section>
