<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:notifications, default template: "mark read" buttons are forms, so the page works
 * without JavaScript.
 *
 * @var array $arResult
 * @var array $arParams
 */
$done = [
    'read' => Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_DONE_READ'),
    'read_all' => Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_DONE_READ_ALL'),
];
?>
<section class="b2b-notifications">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php else: ?>
    <?php if ($arResult['DONE'] !== null && isset($done[$arResult['DONE']])): ?>
        <p class="b2b-alert b2b-alert--done" role="status"><?= htmlspecialcharsbx($done[$arResult['DONE']]) ?></p>
    <?php endif; ?>
    <?php if ($arResult['UNREAD'] > 0): ?>
        <form method="post" action="" class="b2b-inline">
            <?= bitrix_sessid_post() ?>
            <input type="hidden" name="b2b_action" value="notifications.read_all">
            <button type="submit" class="b2b-button"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_READ_ALL', ['#COUNT#' => $arResult['UNREAD']])) ?></button>
        </form>
    <?php endif; ?>
    <?php if ($arResult['NOTIFICATIONS'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_NONE')) ?></p>
    <?php else: ?>
        <ul class="b2b-notes">
            <?php foreach ($arResult['NOTIFICATIONS'] as $note): ?>
                <li class="b2b-note<?php if (!$note['READ']): ?> b2b-note--unread<?php endif; ?>" data-notification-id="<?= htmlspecialcharsbx($note['ID']) ?>">
                    <time class="b2b-muted"><?= htmlspecialcharsbx($note['DATE']) ?></time>
                    <?php if ($note['LINK'] !== null): ?>
                        <a class="b2b-link" href="<?= htmlspecialcharsbx($note['LINK']) ?>"><?= htmlspecialcharsbx($note['TEXT']) ?></a>
                    <?php else: ?>
                        <span><?= htmlspecialcharsbx($note['TEXT']) ?></span>
                    <?php endif; ?>
                    <?php if (!$note['READ']): ?>
                        <form method="post" action="" class="b2b-inline">
                            <?= bitrix_sessid_post() ?>
                            <input type="hidden" name="b2b_action" value="notifications.read">
                            <input type="hidden" name="id" value="<?= htmlspecialcharsbx($note['ID']) ?>">
                            <button type="submit" class="b2b-button b2b-button--small"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_READ')) ?></button>
                        </form>
                    <?php endif; ?>
                </li>
            <?php endforeach; ?>
        </ul>
        <?php $paging = $arResult['PAGING']; ?>
        <?php if ($paging['PAGES'] > 1): ?>
            <nav class="b2b-paging">
                <?php if ($paging['PREV'] !== null): ?><a class="b2b-link" rel="prev" href="<?= htmlspecialcharsbx($paging['PREV']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_PREV')) ?></a><?php endif; ?>
                <?php if ($paging['NEXT'] !== null): ?><a class="b2b-link" rel="next" href="<?= htmlspecialcharsbx($paging['NEXT']) ?>"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_NOTIFICATIONS_T_NEXT')) ?></a><?php endif; ?>
            </nav>
        <?php endif; ?>
    <?php endif; ?>
<?php endif; ?>
</section>
