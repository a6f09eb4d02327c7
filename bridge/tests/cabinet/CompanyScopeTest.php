<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\Membership;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** Which company a request acts for, and every ID checked against it. */
final class CompanyScopeTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
    }

    private function denied(string $reason, callable $call): void
    {
        try {
            $call();
            self::fail("expected CabinetDenied($reason)");
        } catch (CabinetDenied $e) {
            self::assertSame($reason, $e->reason, $e->getMessage());
        }
    }

    public function testOnlyActiveMembershipsCount(): void
    {
        $scope = $this->world->cabinet()->scope();
        $olga = $scope->memberships(W::OWNER);
        self::assertSame(['АО «Вектор»', 'ООО «Ромашка»'], array_map(static fn (Membership $m): string => $m->companyName, $olga));
        self::assertSame(['buyer', 'owner'], array_map(static fn (Membership $m): string => $m->role, $olga));
        self::assertSame([], $scope->memberships(W::FORMER), 'a deactivated member sees nothing');
        self::assertSame([], $scope->memberships(W::MANAGER), 'the store manager is no member');
        $this->denied(CabinetDenied::NO_COMPANY, fn () => $scope->current(W::FORMER));
    }

    public function testTheCurrentCompanyIsThePickedOneWhileItLasts(): void
    {
        $site = $this->world->site;
        self::assertSame(W::COMPANY, $this->world->cabinet()->scope()->current(W::OWNER)->companyId);
        $this->world->cabinet()->scope()->switchTo(W::OWNER, W::OTHER_COMPANY);
        self::assertSame(W::OTHER_COMPANY, $site->preferences[W::OWNER]);
        self::assertSame('buyer', $this->world->cabinet()->scope()->current(W::OWNER)->role);
        unset($site->preferences[W::OWNER]);
        self::assertSame(W::OTHER_COMPANY, $this->world->cabinet()->scope()->current(W::OWNER)->companyId, 'else the first by name');
        $site->preferences[W::OWNER] = 99;
        self::assertSame(W::OTHER_COMPANY, $this->world->cabinet()->scope()->current(W::OWNER)->companyId, 'a company no longer theirs');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->world->cabinet()->scope()->switchTo(W::BUYER, W::OTHER_COMPANY));
        self::assertArrayNotHasKey(W::BUYER, $site->preferences);
    }

    public function testEveryIdIsCheckedAgainstTheCurrentCompany(): void
    {
        $cabinet = $this->world->cabinet();
        $scope = $cabinet->scope();
        $m = $scope->current(W::BUYER);
        self::assertSame(W::PENDING_ORDER, $scope->order($m, $cabinet->orders(), W::PENDING_ORDER)['ID']);
        self::assertSame(1, $scope->document($m, 1)['ID']);
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->order($m, $cabinet->orders(), W::OTHER_ORDER));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->order($m, $cabinet->orders(), 424242));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->order($m, $cabinet->orders(), 0));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->document($m, 6), 'the other company\'s document');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->document($m, 4), 'deleted in 1C');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->member($m, 6), 'a member row of the other company');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->invite($m, 3));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $scope->notification(W::BUYER, 4), 'Olga\'s notification');
        self::assertSame(W::BUYER, $scope->notification(W::BUYER, 2)['UF_USER_ID']);
    }

    public function testWithoutTheRoleTableNobodyGetsIn(): void
    {
        unset($this->world->site->options['roles']);
        $this->denied(CabinetDenied::UNCONFIGURED, fn () => $this->world->cabinet()->scope()->current(W::OWNER));
    }

    public function testWithoutTheBlocksTheCabinetSaysItIsNotSetUp(): void
    {
        $world = new W(false);
        $world->site->blocks = [];
        $this->denied(CabinetDenied::UNCONFIGURED, fn () => $world->cabinet()->scope()->current(W::OWNER));
    }
}
