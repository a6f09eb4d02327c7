<?php

declare(strict_types=1);

use B2bsync\Bridge\Cabinet\CabinetComponent;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\Membership;
use Bitrix\Main\HttpRequest;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\Loc;

if (!defined('B_PROLOG_INCLUDED') || B_PROLOG_INCLUDED !== true) {
    die();
}
if (!Loader::includeModule('b2bsync.bridge')) {
    return;
}
Loc::loadMessages(__FILE__);

/**
 * b2bsync:company — for owners: employees and their roles, change role, deactivate / activate,
 * invites (request, resend, revoke) written as b2b_invites rows for b2bsync to send. Actions:
 * company.role, company.deactivate, company.activate, company.invite, company.resend,
 * company.revoke. Data and rules: B2bsync\Bridge\Core\CompanyView.
 */
final class B2bsyncCompanyComponent extends CabinetComponent
{
    protected function actionPrefix(): string
    {
        return 'company';
    }

    protected function page(Membership $m, HttpRequest $request): array
    {
        $this->setTitle((string)Loc::getMessage('B2BSYNC_COMPANY_TITLE', ['#COMPANY#' => $m->companyName]));
        return $this->cabinet->company()->build($m, $this->lang) + ['COMPANY_NAME' => $m->companyName];
    }

    protected function act(Membership $m, string $name, HttpRequest $request): string
    {
        $company = $this->cabinet->company();
        $id = self::positive($request->getPost('id'), 0, 0, PHP_INT_MAX);
        switch ($name) {
            case 'role':
                $company->changeRole($m, $id, (string)$request->getPost('role'));
                return 'role';
            case 'deactivate':
                $company->setActive($m, $id, false);
                return 'deactivated';
            case 'activate':
                $company->setActive($m, $id, true);
                return 'activated';
            case 'invite':
                $company->invite($m, (string)$request->getPost('email'), (string)$request->getPost('role'));
                return 'invited';
            case 'resend':
                $company->resend($m, $id);
                return 'resent';
            case 'revoke':
                $company->revoke($m, $id);
                return 'revoked';
        }
        throw new CabinetDenied(CabinetDenied::INVALID, 'action');
    }
}
