<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Which company a request acts for, and the check of every ID in it against that company.
 *
 * A user sees only the companies they are an *active* member of, with a role the table knows
 * (b2b_company_users: UF_ACTIVE = 1). The current company is the one the user picked last (kept
 * per user) while that membership stays active, else the first by name. Every ID a request names
 * — order, document, member row, invite, notification — is looked up and refused as not_found
 * unless it belongs to the current company (or, for notifications, to the user): the same answer
 * whether the row exists elsewhere or not at all.
 */
final class CompanyScope
{
    /** @var array<int, list<Membership>> */
    private array $memberships = [];

    public function __construct(
        private readonly CabinetRows $rows,
        private readonly PeoplePort $people,
        private readonly CabinetAccess $access,
    ) {
    }

    public function access(): CabinetAccess
    {
        return $this->access;
    }

    /** @return list<Membership> the user's active memberships, by company name */
    public function memberships(int $userId): array
    {
        if (isset($this->memberships[$userId])) {
            return $this->memberships[$userId];
        }
        if (!$this->access->isConfigured()) {
            throw new CabinetDenied(CabinetDenied::UNCONFIGURED, 'no role table (run b2bsync schema apply)');
        }
        if ($userId <= 0) {
            return [];
        }
        $rows = $this->rows->all(CabinetRows::MEMBERS, ['=UF_USER_ID' => $userId, '=UF_ACTIVE' => 1]);
        $byCompany = [];
        foreach ($rows as $row) {
            if ($this->access->hasRole((string)$row['UF_ROLE'])) {
                $byCompany[(int)$row['UF_COMPANY_ID']] ??= $row;
            }
        }
        $companies = $byCompany === [] ? [] : $this->rows->all(CabinetRows::COMPANIES, ['@ID' => array_keys($byCompany)]);
        $out = [];
        foreach ($companies as $company) {
            $row = $byCompany[(int)$company['ID']];
            $out[] = new Membership(
                $userId,
                (int)$company['ID'],
                (string)$company['UF_NAME'],
                (string)$row['UF_ROLE'],
                (int)$row['ID'],
                isset($company['UF_MANAGER_ID']) ? (int)$company['UF_MANAGER_ID'] : null,
            );
        }
        usort($out, static fn (Membership $a, Membership $b): int => self::sortKey($a->companyName, $a->companyId) <=> self::sortKey($b->companyName, $b->companyId));
        return $this->memberships[$userId] = $out;
    }

    /**
     * How a user's companies are ordered (the switcher, and the default current company): by name,
     * case-insensitive, then by ID. The order guard (OrderGuard::current) picks by the same key.
     * @return array{0: string, 1: int}
     */
    public static function sortKey(string $companyName, int $companyId): array
    {
        return [mb_strtolower($companyName), $companyId];
    }

    /** The company this request acts for; CabinetDenied(no_company) when there is none. */
    public function current(int $userId): Membership
    {
        $all = $this->memberships($userId);
        if ($all === []) {
            throw new CabinetDenied(CabinetDenied::NO_COMPANY);
        }
        $preferred = $this->people->preferredCompany($userId);
        foreach ($all as $membership) {
            if ($membership->companyId === $preferred) {
                return $membership;
            }
        }
        return $all[0];
    }

    /** Make $companyId the user's current company; only one of their active memberships. */
    public function switchTo(int $userId, int $companyId): Membership
    {
        foreach ($this->memberships($userId) as $membership) {
            if ($membership->companyId === $companyId) {
                $this->people->setPreferredCompany($userId, $companyId);
                return $membership;
            }
        }
        throw new CabinetDenied(CabinetDenied::NOT_FOUND, "company $companyId");
    }

    public function require(Membership $m, string $capability): void
    {
        if (!$this->access->can($m->role, $capability)) {
            throw new CabinetDenied(CabinetDenied::CAPABILITY, $capability);
        }
    }

    public function can(Membership $m, string $capability): bool
    {
        return $this->access->can($m->role, $capability);
    }

    /** @return array<string, mixed> the order, when it is the current company's */
    /** @param list<string> $articleCodes */
    public function order(Membership $m, OrderPort $orders, int $orderId, array $articleCodes = []): array
    {
        $order = $orderId > 0 ? $orders->order($orderId, $articleCodes) : null;
        if ($order === null || $order['COMPANY_ID'] !== $m->companyId) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "order $orderId");
        }
        return $order;
    }

    /** @return array<string, mixed> a document of the current company that 1C has not deleted */
    public function document(Membership $m, int $documentId): array
    {
        $row = $documentId > 0 ? $this->rows->get(CabinetRows::DOCUMENTS, $documentId) : null;
        if ($row === null || (int)$row['UF_COMPANY_ID'] !== $m->companyId || (int)($row['UF_DELETED'] ?? 0) === 1) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "document $documentId");
        }
        return $row;
    }

    /** @return array<string, mixed> a b2b_company_users row of the current company */
    public function member(Membership $m, int $rowId): array
    {
        $row = $rowId > 0 ? $this->rows->get(CabinetRows::MEMBERS, $rowId) : null;
        if ($row === null || (int)$row['UF_COMPANY_ID'] !== $m->companyId) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "member $rowId");
        }
        return $row;
    }

    /** @return array<string, mixed> a b2b_invites row of the current company */
    public function invite(Membership $m, int $inviteId): array
    {
        $row = $inviteId > 0 ? $this->rows->get(CabinetRows::INVITES, $inviteId) : null;
        if ($row === null || (int)$row['UF_COMPANY_ID'] !== $m->companyId) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "invite $inviteId");
        }
        return $row;
    }

    /** @return array<string, mixed> one of the user's own notifications */
    public function notification(int $userId, int $notificationId): array
    {
        $row = $notificationId > 0 ? $this->rows->get(CabinetRows::NOTIFICATIONS, $notificationId) : null;
        if ($row === null || (int)$row['UF_USER_ID'] !== $userId) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "notification $notificationId");
        }
        return $row;
    }
}
