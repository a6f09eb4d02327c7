<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\CabinetRows;
use B2bsync\Bridge\Core\CompanyView;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** The owners' page: employees, roles, deactivation, invites as b2b_invites rows, one owner kept. */
final class CompanyViewTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
    }

    private function act(int $user, callable $action): mixed
    {
        $cabinet = $this->world->cabinet();
        return $action($cabinet->company(), $cabinet->scope()->current($user));
    }

    private function denied(string $reason, string $detail, callable $call): void
    {
        try {
            $call();
            self::fail("expected CabinetDenied($reason)");
        } catch (CabinetDenied $e) {
            self::assertSame([$reason, $detail], [$e->reason, $e->detail], $e->getMessage());
        }
    }

    private function member(int $rowId): array
    {
        return (array)$this->world->cabinet()->rows()->get(CabinetRows::MEMBERS, $rowId);
    }

    /** @return list<array<string, mixed>> */
    private function invites(): array
    {
        return $this->world->cabinet()->rows()->all(CabinetRows::INVITES, ['=UF_COMPANY_ID' => W::COMPANY]);
    }

    public function testEmployeesAndInvites(): void
    {
        $page = $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->build($m, 'en'));
        self::assertSame(['Анна Счётова', 'Борис Закупкин', 'Виктор Смотров', 'Ольга Владимирова', 'Дмитрий Бывший'], array_column($page['EMPLOYEES'], 'NAME'), 'active first');
        self::assertSame(['Accountant', 'Buyer', 'Viewer', 'Owner', 'Buyer'], array_column($page['EMPLOYEES'], 'ROLE_TITLE'));
        self::assertSame([false, false, false, true, false], array_column($page['EMPLOYEES'], 'SELF'));
        self::assertSame(['late@romashka.example', 'new.buyer@romashka.example'], array_column($page['INVITES'], 'EMAIL'));
        self::assertSame([[true, true], [true, true]], array_map(static fn (array $i): array => [$i['CAN_RESEND'], $i['CAN_REVOKE']], $page['INVITES']));
        self::assertSame(['owner', 'buyer', 'accountant', 'viewer'], array_column($page['ROLES'], 'CODE'));
        foreach ([W::BUYER, W::ACCOUNTANT, W::VIEWER] as $user) {
            $this->denied(CabinetDenied::CAPABILITY, 'company.manage', fn () => $this->act($user, static fn (CompanyView $c, $m) => $c->build($m, 'en')));
        }
    }

    public function testRolesAndDeactivation(): void
    {
        self::assertNull($this->member(2)['UF_UPDATED_AT'] ?? null);
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 2, 'viewer'));
        self::assertSame('viewer', $this->member(2)['UF_ROLE']);
        self::assertEquals(new \DateTimeImmutable(W::NOW), $this->member(2)['UF_UPDATED_AT'], 'stamped for the sidecar');
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->setActive($m, 2, false));
        self::assertSame(0, $this->member(2)['UF_ACTIVE']);
        self::assertSame([], $this->world->cabinet()->scope()->memberships(W::BUYER), 'Boris lost access');
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->setActive($m, 2, true));
        self::assertSame(1, $this->member(2)['UF_ACTIVE']);
        $this->denied(CabinetDenied::INVALID, 'role', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 2, 'director')));
        $this->denied(CabinetDenied::NOT_FOUND, 'member 6', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 6, 'viewer')));
        $this->denied(CabinetDenied::CAPABILITY, 'company.manage', fn () => $this->act(W::BUYER, static fn (CompanyView $c, $m) => $c->changeRole($m, 2, 'owner')));
        self::assertSame('viewer', $this->member(2)['UF_ROLE']);
    }

    public function testTheLastActiveOwnerStays(): void
    {
        $this->denied(CabinetDenied::CONFLICT, 'last_owner', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 1, 'buyer')));
        $this->denied(CabinetDenied::CONFLICT, 'last_owner', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->setActive($m, 1, false)));
        self::assertSame(['owner', 1], [$this->member(1)['UF_ROLE'], $this->member(1)['UF_ACTIVE']]);
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 3, 'owner'));
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->changeRole($m, 1, 'buyer'));
        self::assertSame('buyer', $this->member(1)['UF_ROLE'], 'with Anna as owner Olga may step down');
        $this->denied(CabinetDenied::CONFLICT, 'last_owner', fn () => $this->act(W::ACCOUNTANT, static fn (CompanyView $c, $m) => $c->setActive($m, 3, false)));
    }

    public function testInvitesAreRowsForTheSidecar(): void
    {
        $id = $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->invite($m, '  New.Person@Romashka.Example ', 'accountant'));
        $row = $this->world->cabinet()->rows()->get(CabinetRows::INVITES, $id);
        self::assertSame(
            [W::COMPANY, 'new.person@romashka.example', 'accountant', 'requested', W::OWNER, null],
            [$row['UF_COMPANY_ID'], $row['UF_EMAIL'], $row['UF_ROLE'], $row['UF_STATUS'], $row['UF_INVITED_BY'], $row['UF_EXPIRES_AT']],
        );
        self::assertMatchesRegularExpression('/\A[0-9a-f]{64}\z/', $row['UF_TOKEN_HASH'], 'a placeholder nobody holds the token of');
        self::assertEquals(new \DateTimeImmutable(W::NOW), $row['UF_CREATED_AT']);
        $this->denied(CabinetDenied::CONFLICT, 'invite_open', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->invite($m, 'new.person@romashka.example', 'buyer')));
        $this->denied(CabinetDenied::CONFLICT, 'invite_open', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->invite($m, 'NEW.BUYER@romashka.example', 'buyer')));
        $this->denied(CabinetDenied::INVALID, 'email', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->invite($m, 'not an address', 'buyer')));
        $this->denied(CabinetDenied::INVALID, 'role', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->invite($m, 'a@b.example', 'god')));
        $this->denied(CabinetDenied::CAPABILITY, 'company.manage', fn () => $this->act(W::BUYER, static fn (CompanyView $c, $m) => $c->invite($m, 'a@b.example', 'buyer')));
        self::assertCount(3, $this->invites());
    }

    public function testResendRevokesTheOpenInviteAndRequestsANewOne(): void
    {
        $new = $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->resend($m, 1));
        $rows = array_column($this->invites(), null, 'ID');
        self::assertSame('revoked', $rows[1]['UF_STATUS'], 'the old token dies at once');
        self::assertSame(['requested', 'new.buyer@romashka.example', 'buyer'], [$rows[$new]['UF_STATUS'], $rows[$new]['UF_EMAIL'], $rows[$new]['UF_ROLE']]);
        self::assertGreaterThan(3, $new, 'a new row, so a watcher following IDs sees it');
        self::assertNotSame($rows[1]['UF_TOKEN_HASH'], $rows[$new]['UF_TOKEN_HASH']);
        $this->denied(CabinetDenied::CONFLICT, 'invite_status', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->resend($m, $new)));
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->revoke($m, $new));
        $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->revoke($m, 2));
        self::assertSame(['revoked', 'revoked', 'revoked'], array_column($this->invites(), 'UF_STATUS'));
        $this->denied(CabinetDenied::CONFLICT, 'invite_status', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->revoke($m, 2)));
        $this->denied(CabinetDenied::NOT_FOUND, 'invite 3', fn () => $this->act(W::OWNER, static fn (CompanyView $c, $m) => $c->revoke($m, 3)));
    }
}
