<?php

use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}

/**
 * b2bsync:company, default template: one small form per action, each with the session token.
 *
 * @var array $arResult
 * @var array $arParams
 */
$done = [
    'role' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_ROLE'),
    'deactivated' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_DEACTIVATED'),
    'activated' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_ACTIVATED'),
    'invited' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_INVITED'),
    'resent' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_RESENT'),
    'revoked' => Loc::getMessage('B2BSYNC_COMPANY_T_DONE_REVOKED'),
];
$statuses = [
    'requested' => Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_REQUESTED'),
    'pending' => Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_PENDING'),
    'accepted' => Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_ACCEPTED'),
    'revoked' => Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_REVOKED'),
    'expired' => Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_EXPIRED'),
];
?>
<section class="b2b-company">
<?php if ($arResult['ERROR'] !== null): ?>
    <p class="b2b-alert b2b-alert--error" role="alert"><?= htmlspecialcharsbx($arResult['ERROR']['MESSAGE']) ?></p>
<?php else: ?>
    <?php if ($arResult['DONE'] !== null && isset($done[$arResult['DONE']])): ?>
        <p class="b2b-alert b2b-alert--done" role="status"><?= htmlspecialcharsbx($done[$arResult['DONE']]) ?></p>
    <?php endif; ?>
    <h2><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_EMPLOYEES')) ?></h2>
    <table class="b2b-table b2b-employees">
        <thead>
        <tr>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_NAME')) ?></th>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_EMAIL')) ?></th>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_ROLE')) ?></th>
            <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_STATE')) ?></th>
        </tr>
        </thead>
        <tbody>
        <?php foreach ($arResult['EMPLOYEES'] as $employee): ?>
            <tr class="<?= htmlspecialcharsbx($employee['ACTIVE'] ? '' : 'b2b-muted') ?>" data-member-id="<?= htmlspecialcharsbx($employee['ID']) ?>">
                <td><?= htmlspecialcharsbx($employee['NAME']) ?><?php if ($employee['SELF']): ?> <span class="b2b-badge"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_YOU')) ?></span><?php endif; ?></td>
                <td><?= htmlspecialcharsbx($employee['EMAIL']) ?></td>
                <td>
                    <form method="post" action="" class="b2b-inline">
                        <?= bitrix_sessid_post() ?>
                        <input type="hidden" name="b2b_action" value="company.role">
                        <input type="hidden" name="id" value="<?= htmlspecialcharsbx($employee['ID']) ?>">
                        <select name="role" aria-label="<?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_ROLE')) ?>">
                            <?php foreach ($arResult['ROLES'] as $role): ?>
                                <option value="<?= htmlspecialcharsbx($role['CODE']) ?>"<?php if ($role['CODE'] === $employee['ROLE']): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($role['TITLE']) ?></option>
                            <?php endforeach; ?>
                        </select>
                        <button type="submit" class="b2b-button b2b-button--small"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_CHANGE')) ?></button>
                    </form>
                </td>
                <td>
                    <form method="post" action="" class="b2b-inline">
                        <?= bitrix_sessid_post() ?>
                        <input type="hidden" name="b2b_action" value="<?= htmlspecialcharsbx($employee['ACTIVE'] ? 'company.deactivate' : 'company.activate') ?>">
                        <input type="hidden" name="id" value="<?= htmlspecialcharsbx($employee['ID']) ?>">
                        <span><?= htmlspecialcharsbx(Loc::getMessage($employee['ACTIVE'] ? 'B2BSYNC_COMPANY_T_ACTIVE' : 'B2BSYNC_COMPANY_T_INACTIVE')) ?></span>
                        <button type="submit" class="b2b-button b2b-button--small"><?= htmlspecialcharsbx(Loc::getMessage($employee['ACTIVE'] ? 'B2BSYNC_COMPANY_T_DEACTIVATE' : 'B2BSYNC_COMPANY_T_ACTIVATE')) ?></button>
                    </form>
                </td>
            </tr>
        <?php endforeach; ?>
        </tbody>
    </table>

    <h2><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_INVITES')) ?></h2>
    <form method="post" action="" class="b2b-filter b2b-invite-form">
        <?= bitrix_sessid_post() ?>
        <input type="hidden" name="b2b_action" value="company.invite">
        <label class="b2b-field"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_EMAIL')) ?>
            <input type="email" name="email" maxlength="254" required>
        </label>
        <label class="b2b-field"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_ROLE')) ?>
            <select name="role">
                <?php foreach ($arResult['ROLES'] as $role): ?>
                    <option value="<?= htmlspecialcharsbx($role['CODE']) ?>"<?php if ($role['CODE'] === 'buyer'): ?> selected<?php endif; ?>><?= htmlspecialcharsbx($role['TITLE']) ?></option>
                <?php endforeach; ?>
            </select>
        </label>
        <div class="b2b-filter__buttons">
            <button type="submit" class="b2b-button b2b-button--primary"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_INVITE')) ?></button>
        </div>
    </form>
    <p class="b2b-muted"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_INVITE_HINT')) ?></p>
    <?php if ($arResult['INVITES'] === []): ?>
        <p class="b2b-empty"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_NO_INVITES')) ?></p>
    <?php else: ?>
        <table class="b2b-table b2b-invites">
            <thead>
            <tr>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_EMAIL')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_ROLE')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_INVITE')) ?></th>
                <th><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_COL_EXPIRES')) ?></th>
                <th></th>
            </tr>
            </thead>
            <tbody>
            <?php foreach ($arResult['INVITES'] as $invite): ?>
                <tr data-invite-id="<?= htmlspecialcharsbx($invite['ID']) ?>">
                    <td><?= htmlspecialcharsbx($invite['EMAIL']) ?></td>
                    <td><?= htmlspecialcharsbx($invite['ROLE_TITLE']) ?></td>
                    <td><?= htmlspecialcharsbx($statuses[$invite['STATUS']] ?? $invite['STATUS']) ?></td>
                    <td><?= htmlspecialcharsbx($invite['EXPIRES']) ?></td>
                    <td>
                        <?php if ($invite['CAN_RESEND']): ?>
                            <form method="post" action="" class="b2b-inline">
                                <?= bitrix_sessid_post() ?>
                                <input type="hidden" name="b2b_action" value="company.resend">
                                <input type="hidden" name="id" value="<?= htmlspecialcharsbx($invite['ID']) ?>">
                                <button type="submit" class="b2b-button b2b-button--small"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_RESEND')) ?></button>
                            </form>
                        <?php endif; ?>
                        <?php if ($invite['CAN_REVOKE']): ?>
                            <form method="post" action="" class="b2b-inline">
                                <?= bitrix_sessid_post() ?>
                                <input type="hidden" name="b2b_action" value="company.revoke">
                                <input type="hidden" name="id" value="<?= htmlspecialcharsbx($invite['ID']) ?>">
                                <button type="submit" class="b2b-button b2b-button--small b2b-button--danger"><?= htmlspecialcharsbx(Loc::getMessage('B2BSYNC_COMPANY_T_REVOKE')) ?></button>
                            </form>
                        <?php endif; ?>
                    </td>
                </tr>
            <?php endforeach; ?>
            </tbody>
        </table>
    <?php endif; ?>
<?php endif; ?>
</section>
