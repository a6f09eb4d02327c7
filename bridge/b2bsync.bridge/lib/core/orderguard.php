<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The order guard's decision table (bridge/contract/order_guard.json; DESIGN §8): what the
 * handler of sale:OnSaleOrderBeforeSaved does with an order being created. Pure: GuardFacts in,
 * GuardDecision out; the Python twin is bitrix_client.order_guard.decide.
 *
 * pass — not a B2B order: not new, a payer type without B2B_COMPANY_ID (a member buying as a
 * private person), the guard not set up (no option "guard" or no role table), nobody logged in,
 * or the user is no active member of a company with a role the table knows.
 * Otherwise the current company is the cabinet's (CompanyScope: the user's pick while that
 * membership is active, else the first by name), and, in this order:
 *  1. a role without orders.create → refuse (role_may_not_order);
 *  2. the company's credit row says UF_ORDER_BLOCKED → refuse (company_blocked, with the reason)
 *     or, with when_blocked = approval, a reason for approval;
 *  3. a total above the credit still available (UF_CREDIT_LIMIT − UF_CREDIT_USED; no limit: no
 *     check) → refuse (over_credit) or, with over_credit = approval, a reason;
 *  4. reasons for approval: UF_APPROVAL_MODE all (or a mode this table does not know);
 *     over_amount and a total ≥ UF_APPROVAL_THRESHOLD (none: every order); a total above the
 *     member's UF_ORDER_LIMIT; any of these amounts that cannot be compared because the order's
 *     currency is not the company's (the credit row's UF_CURRENCY) → currency_mismatch.
 * Any reason → pending (the configured status), else save. Amounts are compared in cents.
 */
final class OrderGuard
{
    /** Reasons for approval, in the order a decision lists them. */
    public const REASONS = ['company_blocked', 'over_credit', 'approval_all', 'over_threshold', 'over_order_limit', 'currency_mismatch'];

    public const MESSAGE_CODES = [
        'role_may_not_order' => 'B2BSYNC_ROLE_MAY_NOT_ORDER',
        'company_blocked' => 'B2BSYNC_COMPANY_BLOCKED',
        'company_blocked_no_reason' => 'B2BSYNC_COMPANY_BLOCKED',
        'over_credit' => 'B2BSYNC_OVER_CREDIT',
    ];

    public static function decide(GuardFacts $f): GuardDecision
    {
        $config = $f->config;
        if (!$f->isNew || !$f->b2bPayerType || $config === null || !$f->roles->isConfigured()) {
            return new GuardDecision(GuardDecision::PASS);
        }
        $current = self::current($f);
        if ($current === null) {
            return new GuardDecision(GuardDecision::PASS);
        }
        [$company, $member] = $current;
        $companyId = (int)$company['ID'];
        $name = self::clean($company['UF_NAME'] ?? '');
        $role = (string)($member['UF_ROLE'] ?? '');
        $credit = null;
        foreach ($f->credit as $row) {
            if ((int)($row['UF_COMPANY_ID'] ?? 0) === $companyId) {
                $credit = $row;
                break;
            }
        }

        if (!$f->roles->can($role, CabinetAccess::ORDERS_CREATE)) {
            return self::refuse($companyId, 'role_may_not_order', ['COMPANY' => $name, 'ROLE' => $role]);
        }
        $blocked = $credit !== null && (int)($credit['UF_ORDER_BLOCKED'] ?? 0) === 1;
        if ($blocked && $config->whenBlocked === GuardConfig::REFUSE) {
            $reason = rtrim(self::clean($credit['UF_BLOCK_REASON'] ?? ''), '. ');
            return self::refuse($companyId, $reason === '' ? 'company_blocked_no_reason' : 'company_blocked', ['COMPANY' => $name, 'REASON' => $reason]);
        }

        $total = self::cents($f->total);
        $orderCurrency = self::currency($f->currency);
        $settlement = $credit === null ? '' : self::currency($credit['UF_CURRENCY'] ?? '');
        $comparable = $settlement === '' || $orderCurrency === '' || $settlement === $orderCurrency;
        $unchecked = false;
        $overCredit = false;
        $limit = $credit === null ? null : self::amount($credit['UF_CREDIT_LIMIT'] ?? null);
        if ($limit !== null) {
            if ($comparable) {
                $available = $limit - (self::amount($credit['UF_CREDIT_USED'] ?? null) ?? 0);
                $overCredit = $total > $available;
                if ($overCredit && $config->overCredit === GuardConfig::REFUSE) {
                    return self::refuse($companyId, 'over_credit', [
                        'COMPANY' => $name,
                        'TOTAL' => $total / 100,
                        'AVAILABLE' => max(0, $available) / 100,
                        'CURRENCY' => $orderCurrency !== '' ? $orderCurrency : $settlement,
                    ]);
                }
            } else {
                $unchecked = true;
            }
        }

        $reasons = [];
        if ($blocked) {
            $reasons[] = 'company_blocked';
        }
        if ($overCredit) {
            $reasons[] = 'over_credit';
        }
        $mode = (string)($company['UF_APPROVAL_MODE'] ?? '');
        if ($mode === 'over_amount') {
            if (!$comparable) {
                $unchecked = true;
            } elseif ($total >= (self::amount($company['UF_APPROVAL_THRESHOLD'] ?? null) ?? 0)) {
                $reasons[] = 'over_threshold';
            }
        } elseif ($mode !== '' && $mode !== 'none') {
            // "all", and a mode this table does not know: ask rather than guess
            $reasons[] = 'approval_all';
        }
        $memberLimit = self::amount($member['UF_ORDER_LIMIT'] ?? null);
        if ($memberLimit !== null) {
            if (!$comparable) {
                $unchecked = true;
            } elseif ($total > $memberLimit) {
                $reasons[] = 'over_order_limit';
            }
        }
        if ($unchecked) {
            $reasons[] = 'currency_mismatch';
        }
        if ($reasons !== []) {
            return new GuardDecision(GuardDecision::PENDING, $companyId, $config->pendingStatus, $reasons);
        }
        return new GuardDecision(GuardDecision::SAVE, $companyId);
    }

    /**
     * The buyer's current company row and membership row, by the cabinet's rule (CompanyScope):
     * active rows of the user whose role the table knows, the first row per company, companies
     * that exist; the one the user picked, else the first by name (case-insensitive), then ID.
     * @return array{0: array<string, mixed>, 1: array<string, mixed>}|null
     */
    public static function current(GuardFacts $f): ?array
    {
        if ($f->userId === null || $f->userId <= 0) {
            return null;
        }
        $byCompany = [];
        foreach ($f->members as $row) {
            if ((int)($row['UF_USER_ID'] ?? 0) === $f->userId && (int)($row['UF_ACTIVE'] ?? 0) === 1
                && isset($row['UF_COMPANY_ID']) && $f->roles->hasRole((string)($row['UF_ROLE'] ?? ''))) {
                $byCompany[(int)$row['UF_COMPANY_ID']] ??= $row;
            }
        }
        $companies = array_values(array_filter($f->companies, static fn (array $c): bool => isset($byCompany[(int)($c['ID'] ?? 0)])));
        if ($companies === []) {
            return null;
        }
        usort($companies, static fn (array $a, array $b): int => CompanyScope::sortKey((string)($a['UF_NAME'] ?? ''), (int)$a['ID']) <=> CompanyScope::sortKey((string)($b['UF_NAME'] ?? ''), (int)$b['ID']));
        $chosen = $companies[0];
        foreach ($companies as $company) {
            if ((int)$company['ID'] === $f->preferredCompany) {
                $chosen = $company;
                break;
            }
        }
        return [$chosen, $byCompany[(int)$chosen['ID']]];
    }

    /** A name or reason fit for a message the checkout may show as HTML: no tags, no angle brackets, one space for each run of white space. */
    public static function clean(mixed $value): string
    {
        $text = (string)preg_replace('/<[^>]*>/', '', is_scalar($value) ? (string)$value : '');
        $text = str_replace(['<', '>'], '', $text);
        return trim((string)preg_replace('/[ \t\r\n\f\x0B]+/', ' ', $text), ' ');
    }

    private static function currency(mixed $value): string
    {
        $code = strtoupper(trim(is_scalar($value) ? (string)$value : ''));
        return $code === 'RUR' ? 'RUB' : $code;
    }

    private static function cents(float $amount): int
    {
        return (int)round($amount * 100);
    }

    private static function amount(mixed $value): ?int
    {
        return ($value === null || $value === '') ? null : self::cents((float)$value);
    }

    /** @param array<string, string|float> $params */
    private static function refuse(int $companyId, string $message, array $params): GuardDecision
    {
        return new GuardDecision(GuardDecision::REFUSE, $companyId, null, [], self::MESSAGE_CODES[$message], $message, $params);
    }
}
