<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The owners' page: the company's employees with their roles, role changes, (de)activation, and
 * invites — all intents written as rows that b2bsync's sidecar then acts on (DESIGN "who does
 * what"): b2b_company_users rows are updated in place (never deleted), stamped UF_UPDATED_AT so
 * the sidecar's watcher sees the change; an invite is a new
 * b2b_invites row in status "requested" without a token (the sidecar makes the token, stores its
 * hash, sends the mail and sets "pending"); "resend" revokes the open invite (its token dies at
 * once) and requests a new one, so the sidecar's watcher, which follows new rows by ID, sees it;
 * "revoke" sets "revoked".
 *
 * A company always keeps one active owner: a role change or deactivation that would leave none is
 * refused here (conflict: last_owner), as the sidecar would revert it.
 */
final class CompanyView
{
    public const OPEN_INVITES = ['requested', 'pending'];
    public const REVOCABLE = ['requested', 'pending', 'expired'];
    public const RESENDABLE = ['pending', 'expired'];
    public const MAX_EMAIL = 254;

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /** @return array<string, mixed> */
    public function build(Membership $m, string $lang): array
    {
        $scope = $this->cabinet->scope();
        $scope->require($m, CabinetAccess::COMPANY_MANAGE);
        $access = $scope->access();
        $rows = $this->cabinet->rows();
        $members = $rows->all(CabinetRows::MEMBERS, ['=UF_COMPANY_ID' => $m->companyId]);
        $people = $this->cabinet->people()->people(array_map(static fn (array $r): int => (int)$r['UF_USER_ID'], $members));
        $employees = [];
        foreach ($members as $row) {
            $person = $people[(int)$row['UF_USER_ID']] ?? null;
            $employees[] = [
                'ID' => $row['ID'],
                'USER_ID' => (int)$row['UF_USER_ID'],
                'NAME' => $person['NAME'] ?? ('#' . $row['UF_USER_ID']),
                'EMAIL' => $person['EMAIL'] ?? '',
                'ROLE' => (string)$row['UF_ROLE'],
                'ROLE_TITLE' => $access->roleTitle((string)$row['UF_ROLE'], $lang),
                'ACTIVE' => (int)($row['UF_ACTIVE'] ?? 0) === 1,
                'SELF' => (int)$row['UF_USER_ID'] === $m->userId,
            ];
        }
        usort($employees, static fn (array $a, array $b): int => [!$a['ACTIVE'], mb_strtolower($a['NAME'])] <=> [!$b['ACTIVE'], mb_strtolower($b['NAME'])]);
        $invites = [];
        foreach ($rows->all(CabinetRows::INVITES, ['=UF_COMPANY_ID' => $m->companyId], ['ID' => 'DESC'], 100) as $row) {
            $status = (string)$row['UF_STATUS'];
            $invites[] = [
                'ID' => $row['ID'],
                'EMAIL' => (string)$row['UF_EMAIL'],
                'ROLE_TITLE' => $access->roleTitle((string)$row['UF_ROLE'], $lang),
                'STATUS' => $status,
                'CREATED' => CabinetFormat::dateTime($row['UF_CREATED_AT'] ?? null, $lang),
                'EXPIRES' => CabinetFormat::dateTime($row['UF_EXPIRES_AT'] ?? null, $lang),
                'CAN_RESEND' => in_array($status, self::RESENDABLE, true),
                'CAN_REVOKE' => in_array($status, self::REVOCABLE, true),
            ];
        }
        return [
            'EMPLOYEES' => $employees,
            'INVITES' => $invites,
            'ROLES' => array_map(static fn (string $role): array => ['CODE' => $role, 'TITLE' => $access->roleTitle($role, $lang)], $access->roles()),
        ];
    }

    public function changeRole(Membership $m, int $rowId, string $role): void
    {
        $row = $this->managed($m, $rowId);
        if (!$this->cabinet->access()->hasRole($role)) {
            throw new CabinetDenied(CabinetDenied::INVALID, 'role');
        }
        if ($row['UF_ROLE'] === $role) {
            return;
        }
        $this->keepOwner($m, $row, $role, (int)($row['UF_ACTIVE'] ?? 0) === 1);
        $this->cabinet->rows()->update(CabinetRows::MEMBERS, $rowId, ['UF_ROLE' => $role] + $this->stamp());
    }

    public function setActive(Membership $m, int $rowId, bool $active): void
    {
        $row = $this->managed($m, $rowId);
        if (((int)($row['UF_ACTIVE'] ?? 0) === 1) === $active) {
            return;
        }
        $this->keepOwner($m, $row, (string)$row['UF_ROLE'], $active);
        $this->cabinet->rows()->update(CabinetRows::MEMBERS, $rowId, ['UF_ACTIVE' => $active ? 1 : 0] + $this->stamp());
    }

    public function invite(Membership $m, string $email, string $role): int
    {
        $this->cabinet->scope()->require($m, CabinetAccess::COMPANY_MANAGE);
        $email = mb_strtolower(trim($email));
        if ($email === '' || mb_strlen($email) > self::MAX_EMAIL || filter_var($email, FILTER_VALIDATE_EMAIL) === false) {
            throw new CabinetDenied(CabinetDenied::INVALID, 'email');
        }
        if (!$this->cabinet->access()->hasRole($role)) {
            throw new CabinetDenied(CabinetDenied::INVALID, 'role');
        }
        $open = $this->cabinet->rows()->first(CabinetRows::INVITES, ['=UF_COMPANY_ID' => $m->companyId, '=UF_EMAIL' => $email, '@UF_STATUS' => self::OPEN_INVITES]);
        if ($open !== null) {
            throw new CabinetDenied(CabinetDenied::CONFLICT, 'invite_open');
        }
        return $this->request($m, $email, $role);
    }

    public function resend(Membership $m, int $inviteId): int
    {
        $this->cabinet->scope()->require($m, CabinetAccess::COMPANY_MANAGE);
        $invite = $this->cabinet->scope()->invite($m, $inviteId);
        if (!in_array($invite['UF_STATUS'], self::RESENDABLE, true)) {
            throw new CabinetDenied(CabinetDenied::CONFLICT, 'invite_status');
        }
        $this->cabinet->rows()->update(CabinetRows::INVITES, $inviteId, ['UF_STATUS' => 'revoked']);
        return $this->request($m, (string)$invite['UF_EMAIL'], (string)$invite['UF_ROLE']);
    }

    public function revoke(Membership $m, int $inviteId): void
    {
        $this->cabinet->scope()->require($m, CabinetAccess::COMPANY_MANAGE);
        $invite = $this->cabinet->scope()->invite($m, $inviteId);
        if (!in_array($invite['UF_STATUS'], self::REVOCABLE, true)) {
            throw new CabinetDenied(CabinetDenied::CONFLICT, 'invite_status');
        }
        $this->cabinet->rows()->update(CabinetRows::INVITES, $inviteId, ['UF_STATUS' => 'revoked']);
    }

    private function request(Membership $m, string $email, string $role): int
    {
        return $this->cabinet->rows()->add(CabinetRows::INVITES, [
            'UF_COMPANY_ID' => $m->companyId,
            'UF_EMAIL' => $email,
            'UF_ROLE' => $role,
            'UF_STATUS' => 'requested',
            // the hash of a token nobody ever sees: the unique index holds (a real site stores a
            // missing string as '', and two '' collide) and no link can match until b2bsync
            // issues the real token and replaces it
            'UF_TOKEN_HASH' => hash('sha256', random_bytes(32)),
            'UF_INVITED_BY' => $m->userId,
            'UF_CREATED_AT' => $this->cabinet->now()->format(\DATE_ATOM),
        ]);
    }

    /**
     * UF_UPDATED_AT with every membership change: b2bsync's watcher finds changed rows by it
     * (an ID cursor cannot see an update) and checks the owner rule on them.
     * @return array{UF_UPDATED_AT: string}
     */
    private function stamp(): array
    {
        return ['UF_UPDATED_AT' => $this->cabinet->now()->format(\DATE_ATOM)];
    }

    /** @return array<string, mixed> */
    private function managed(Membership $m, int $rowId): array
    {
        $this->cabinet->scope()->require($m, CabinetAccess::COMPANY_MANAGE);
        return $this->cabinet->scope()->member($m, $rowId);
    }

    /** @param array<string, mixed> $row */
    private function keepOwner(Membership $m, array $row, string $role, bool $active): void
    {
        $wasOwner = $row['UF_ROLE'] === 'owner' && (int)($row['UF_ACTIVE'] ?? 0) === 1;
        if (!$wasOwner || ($role === 'owner' && $active)) {
            return;
        }
        $owners = $this->cabinet->rows()->all(CabinetRows::MEMBERS, ['=UF_COMPANY_ID' => $m->companyId, '=UF_ROLE' => 'owner', '=UF_ACTIVE' => 1]);
        foreach ($owners as $owner) {
            if ((int)$owner['ID'] !== (int)$row['ID']) {
                return;
            }
        }
        throw new CabinetDenied(CabinetDenied::CONFLICT, 'last_owner');
    }
}
