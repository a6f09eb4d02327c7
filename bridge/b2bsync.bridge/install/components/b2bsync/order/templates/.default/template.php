<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:order, default template. The follow, approve / reject and comment forms appear only
 * when arResult allows them; the component checks the role again on every POST.
 *
 * @var array $arResult
 * @var array $arParams
 */
$approvals = [
    'pending' => Loc::getMessage('B2BSYNC_ORDER_T_APPROVAL_PENDING'),
    'approved' => Loc::getMessage('B2BSYNC_ORDER_T_APPROVAL_APPROVED'),
    'rejected' => Loc::getMessage('B2BSYNC_ORDER_T_APPROVAL_REJECTED'),
];
$done = [
    'approved' => Loc::getMessage('B2BSYNC_ORDER_T_DONE_APPROVED'),
    'rejected' => Loc::getMessage('B2BSYNC_ORDER_T_DONE_REJECTED'),
    'commented' => Loc::getMessage('B2BSYNC_ORDER_T_DONE_COMMENTED'),
    'followed' => Loc::getMessage('B2BSYNC_ORDER_T_DONE_FOLLOWED'),
    'unfollowed' => Loc::getMessage('B2BSYNC_ORDER_T_DONE_UNFOLLOWED'),
];
$types = [
    'invoice' => Loc::getMessage('B2BSYNC_ORDER_T_DOC_INVOICE'),
    'waybill' => Loc::getMessage('B2BSYNC_ORDER_T_DOC_WAYBILL'),
    'reconciliation' => Loc::getMessage('B2BSYNC_ORDER_T_DOC_RECONCILIATION'),
    'upd' => Loc::getMessage('B2BSYNC_ORDER_T_DOC_UPD'),
    'act' => Loc::getMessage('B2BSYNC_ORDER_T_DOC_ACT'),
];
?>
<section class="b2b-order-card">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php else: ?>
    <?php $order = $arResult['ORDER']; ?>
    <?php if ($arResult['DONE'] !== null && isset($done[$arResult['DONE']])): ?>
        <p class="b2b-alert b2b-alert--done" role="status"><?= htmlspecialcharsbx($done[$arResult['DONE']]) ?></p>
    <?php endif; ?>
    <p><a class="b2b-link" href="<?= htmlspecialcharsbx($arResult['ORDERS_URL']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_BACK')) ?></a></p>
    <h2 class="b2b-order-card__title"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_HEADING', ['#NUMBER#' => $order['NUMBER'], '#DATE#' => $order['DATE']])) ?></h2>
    <dl class="b2b-facts">
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_STATUS')) ?></dt>
        <dd><span class="b2b-status b2b-status--<?= htmlspecialcharsbx(strtolower($order['STATUS_ID'])) ?>"><?= htmlspecialcharsbx($order['STATUS']) ?></span>
            <?php if ($order['APPROVAL'] !== null): ?><span class="b2b-badge b2b-badge--<?= htmlspecialcharsbx($order['APPROVAL']) ?>"><?= htmlspecialcharsbx($approvals[$order['APPROVAL']]) ?></span><?php endif; ?>
            <?php if ($order['CANCELED']): ?><span class="b2b-badge b2b-badge--rejected"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_CANCELED')) ?></span><?php endif; ?>
        </dd>
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_TOTAL')) ?></dt>
        <dd><?= htmlspecialcharsbx($order['TOTAL']) ?></dd>
        <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_AUTHOR')) ?></dt>
        <dd><?= htmlspecialcharsbx($order['AUTHOR']) ?></dd>
        <?php if ($order['MANAGER'] !== ''): ?>
            <dt><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_MANAGER')) ?></dt>
            <dd><?= htmlspecialcharsbx($order['MANAGER']) ?></dd>
        <?php endif; ?>
    </dl>

    <?php if ($arResult['CAN_FOLLOW']): ?>
        <form method="post" action="" class="b2b-follow">
            <?= bitrix_sessid_post() ?>
            <?php if ($arResult['FOLLOWING']): ?>
                <input type="hidden" name="b2b_action" value="order.unfollow">
                <button type="submit" class="b2b-button" name="unfollow"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_UNFOLLOW')) ?></button>
            <?php else: ?>
                <input type="hidden" name="b2b_action" value="order.follow">
                <button type="submit" class="b2b-button" name="follow" title="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_FOLLOW_HINT')) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_FOLLOW')) ?></button>
            <?php endif; ?>
        </form>
    <?php endif; ?>

    <?php if ($arResult['CAN_APPROVE']): ?>
        <div class="b2b-approval">
            <form method="post" action="" class="b2b-approval__approve">
                <?= bitrix_sessid_post() ?>
                <input type="hidden" name="b2b_action" value="order.approve">
                <button type="submit" class="b2b-button b2b-button--primary" name="approve"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_APPROVE')) ?></button>
            </form>
            <form method="post" action="" class="b2b-approval__reject">
                <?= bitrix_sessid_post() ?>
                <input type="hidden" name="b2b_action" value="order.reject">
                <label class="b2b-field"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_REASON')) ?>
                    <textarea name="reason" rows="2" maxlength="1000" required></textarea>
                </label>
                <button type="submit" class="b2b-button b2b-button--danger" name="reject"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_REJECT')) ?></button>
            </form>
        </div>
    <?php endif; ?>

    <h3><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_BASKET')) ?></h3>
    <table class="b2b-table b2b-basket">
        <thead>
        <tr>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COL_NAME')) ?></th>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COL_ARTICLE')) ?></th>
            <th class="b2b-num"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COL_QUANTITY')) ?></th>
            <th class="b2b-num"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COL_PRICE')) ?></th>
            <th class="b2b-num"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COL_SUM')) ?></th>
        </tr>
        </thead>
        <tbody>
        <?php foreach ($arResult['BASKET'] as $line): ?>
            <tr>
                <td><?= htmlspecialcharsbx($line['NAME']) ?></td>
                <td class="b2b-article"><?= htmlspecialcharsbx($line['ARTICLE']) ?></td>
                <td class="b2b-num"><?= htmlspecialcharsbx($line['QUANTITY']) ?></td>
                <td class="b2b-num"><?= htmlspecialcharsbx($line['PRICE']) ?></td>
                <td class="b2b-num"><?= htmlspecialcharsbx($line['SUM']) ?></td>
            </tr>
        <?php endforeach; ?>
        </tbody>
    </table>

    <h3><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_HISTORY')) ?></h3>
    <?php if ($arResult['HISTORY'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_NO_HISTORY')) ?></p>
    <?php else: ?>
        <ol class="b2b-history">
            <?php foreach ($arResult['HISTORY'] as $step): ?>
                <li>
                    <time><?= htmlspecialcharsbx($step['DATE']) ?></time>
                    <?php if ($step['FROM'] !== ''): ?><?= htmlspecialcharsbx($step['FROM']) ?> → <?php endif; ?><strong><?= htmlspecialcharsbx($step['TO']) ?></strong>
                    <span class="b2b-muted"><?= htmlspecialcharsbx($step['USER'] !== '' ? $step['USER'] : Loc::getMessage('B2BSYNC_ORDER_T_SYSTEM')) ?></span>
                    <?php if ($step['REASON'] !== ''): ?><q class="b2b-reason"><?= htmlspecialcharsbx($step['REASON']) ?></q><?php endif; ?>
                </li>
            <?php endforeach; ?>
        </ol>
    <?php endif; ?>

    <?php if ($arResult['DOCUMENTS'] !== null): ?>
        <h3><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_DOCUMENTS')) ?></h3>
        <?php if ($arResult['DOCUMENTS'] === []): ?>
            <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_NO_DOCUMENTS')) ?></p>
        <?php else: ?>
            <ul class="b2b-documents-short">
                <?php foreach ($arResult['DOCUMENTS'] as $document): ?>
                    <li>
                        <?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_DOCUMENT', ['#TYPE#' => $types[$document['TYPE']] ?? $document['TYPE'], '#NUMBER#' => $document['NUMBER'], '#DATE#' => $document['DATE']])) ?>
                        <?php if ($document['URL'] !== null): ?><a class="b2b-link" href="<?= htmlspecialcharsbx($document['URL']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_DOWNLOAD')) ?></a><?php endif; ?>
                    </li>
                <?php endforeach; ?>
            </ul>
        <?php endif; ?>
    <?php endif; ?>

    <h3><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_COMMENTS')) ?></h3>
    <?php if ($arResult['COMMENTS'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_NO_COMMENTS')) ?></p>
    <?php else: ?>
        <ul class="b2b-comments">
            <?php foreach ($arResult['COMMENTS'] as $comment): ?>
                <li class="b2b-comment<?php if ($comment['INTERNAL']): ?> b2b-comment--internal<?php endif; ?>">
                    <div class="b2b-muted"><?= htmlspecialcharsbx($comment['AUTHOR']) ?>, <time><?= htmlspecialcharsbx($comment['DATE']) ?></time>
                        <?php if ($comment['INTERNAL']): ?><span class="b2b-badge"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_INTERNAL')) ?></span><?php endif; ?>
                    </div>
                    <p class="b2b-comment__text"><?= htmlspecialcharsbx($comment['TEXT']) ?></p>
                </li>
            <?php endforeach; ?>
        </ul>
    <?php endif; ?>
    <?php if ($arResult['CAN_COMMENT']): ?>
        <form method="post" action="" class="b2b-comment-form">
            <?= bitrix_sessid_post() ?>
            <input type="hidden" name="b2b_action" value="order.comment">
            <label class="b2b-field"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_NEW_COMMENT')) ?>
                <textarea name="text" rows="3" maxlength="2000" required></textarea>
            </label>
            <?php if ($arResult['CAN_INTERNAL']): ?>
                <label class="b2b-check"><input type="checkbox" name="internal" value="Y"> <?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_INTERNAL_HINT')) ?></label>
            <?php endif; ?>
            <button type="submit" class="b2b-button"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_ORDER_T_SEND')) ?></button>
        </form>
    <?php endif; ?>
<?php endif; ?>
</section>
