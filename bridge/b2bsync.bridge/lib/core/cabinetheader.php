<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The cabinet's header on every page: the company switcher (only the user's active memberships),
 * the menu of pages the role may open, the finance summary line (roles that see finance), the
 * blocked-orders banner with its reason (roles that order, approve or see finance: the ones the
 * block concerns) and the bell's unread count.
 */
final class CabinetHeader
{
    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /** @return array<string, mixed> */
    public function build(Membership $m, string $lang, CabinetRoutes $routes, string $activePage, int $staleHours = FinanceView::DEFAULT_STALE_HOURS): array
    {
        $scope = $this->cabinet->scope();
        $access = $scope->access();
        $companies = [];
        foreach ($scope->memberships($m->userId) as $membership) {
            $companies[] = ['ID' => $membership->companyId, 'NAME' => $membership->companyName, 'CURRENT' => $membership->companyId === $m->companyId];
        }
        $menu = [];
        foreach (CabinetRoutes::menu($access, $m->role) as $page) {
            $menu[] = ['PAGE' => $page, 'URL' => $routes->url($page), 'ACTIVE' => $page === $activePage || ($page === 'orders' && $activePage === 'order')];
        }
        $seesFinance = $scope->can($m, CabinetAccess::FINANCE_VIEW);
        $concerned = $seesFinance || $scope->can($m, CabinetAccess::ORDERS_CREATE) || $scope->can($m, CabinetAccess::ORDERS_APPROVE);
        $finance = null;
        $blocked = null;
        if ($seesFinance || $concerned) {
            $position = FinanceView::shape($this->cabinet->finance()->position($m), $this->cabinet->now(), $staleHours, $lang);
            if ($seesFinance && $position['KNOWN']) {
                $finance = $position + ['URL' => $routes->url('finance')];
            }
            if ($concerned && $position['BLOCKED']) {
                $blocked = ['REASON' => $position['BLOCK_REASON']];
            }
        }
        return [
            'COMPANY' => ['ID' => $m->companyId, 'NAME' => $m->companyName],
            'COMPANIES' => $companies,
            'ROLE' => $m->role,
            'ROLE_TITLE' => $access->roleTitle($m->role, $lang),
            'MENU' => $menu,
            'FINANCE' => $finance,
            'BLOCKED' => $blocked,
            'UNREAD' => $this->cabinet->notifications()->unread($m->userId),
            'NOTIFICATIONS_URL' => $routes->url('notifications'),
        ];
    }
}
