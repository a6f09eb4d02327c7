<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\BadValue;
use B2bsync\Bridge\Core\CabinetAccess;
use PHPUnit\Framework\TestCase;

/** The role table of contract/roles.json (= `b2bsync roles export`) as CabinetAccess reads it. */
final class CabinetAccessTest extends TestCase
{
    /** DESIGN §5, transcribed: capability => owner, buyer, accountant, viewer. */
    private const DESIGN = [
        'orders.view' => [true, true, false, true],
        'orders.create' => [true, true, false, false],
        'orders.approve' => [true, false, false, false],
        'orders.comment' => [true, true, false, false],
        'documents.view' => [true, false, true, false],
        'finance.view' => [true, false, true, false],
        'company.manage' => [true, false, false, false],
    ];

    private static function table(): array
    {
        return json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/roles.json'), true, 64, JSON_THROW_ON_ERROR);
    }

    public function testTheExportedTableGrantsWhatTheDesignSays(): void
    {
        $access = CabinetAccess::parse(self::table());
        self::assertTrue($access->isConfigured());
        self::assertSame(['owner', 'buyer', 'accountant', 'viewer'], $access->roles());
        foreach (self::DESIGN as $capability => $grants) {
            foreach ($access->roles() as $i => $role) {
                self::assertSame($grants[$i], $access->can($role, $capability), "$role $capability");
            }
        }
        self::assertSame(['owner', 'accountant'], $access->holders(CabinetAccess::DOCUMENTS_VIEW));
        self::assertSame('Бухгалтер', $access->roleTitle('accountant', 'ru'));
        self::assertSame('Accountant', $access->roleTitle('accountant', 'en'));
        self::assertSame('Accountant', $access->roleTitle('accountant', 'de'));
    }

    public function testEveryCapabilityTheComponentsAskAboutIsInTheTable(): void
    {
        $declared = array_column(self::table()['capabilities'], 'code');
        $constants = array_filter((new \ReflectionClass(CabinetAccess::class))->getConstants(), 'is_string');
        self::assertEqualsCanonicalizing($declared, array_values($constants));
    }

    public function testNoTableMeansNothingIsAllowed(): void
    {
        foreach ([CabinetAccess::unconfigured(), CabinetAccess::fromOption(null), CabinetAccess::fromOption('{broken'), CabinetAccess::fromOption('{"version": 2}')] as $access) {
            self::assertFalse($access->isConfigured());
            self::assertFalse($access->can('owner', CabinetAccess::ORDERS_VIEW));
            self::assertSame([], $access->roles());
        }
        $access = CabinetAccess::fromOption(json_encode(self::table()));
        self::assertFalse($access->can(null, CabinetAccess::ORDERS_VIEW));
        self::assertFalse($access->can('director', CabinetAccess::ORDERS_VIEW));
        self::assertFalse($access->can('owner', 'orders.delete'));
        self::assertSame('director', $access->roleTitle('director', 'ru'));
    }

    /** @return array<string, array{0: callable(array): array}> */
    public static function brokenTables(): array
    {
        return [
            'version 2' => [static fn (array $t): array => ['version' => 2] + $t],
            'version as text' => [static function (array $t): array { $t['version'] = '1'; return $t; }],
            'extra key' => [static fn (array $t): array => $t + ['admins' => []]],
            'undeclared capability' => [static function (array $t): array { $t['roles'][1]['capabilities'][] = 'orders.delete'; return $t; }],
            'repeated role' => [static function (array $t): array { $t['roles'][] = $t['roles'][0]; return $t; }],
            'repeated capability' => [static function (array $t): array { $t['capabilities'][] = $t['capabilities'][0]; return $t; }],
            'bad role code' => [static function (array $t): array { $t['roles'][0]['code'] = 'Owner!'; return $t; }],
            'title without en' => [static function (array $t): array { unset($t['roles'][0]['title']['en']); return $t; }],
            'empty title' => [static function (array $t): array { $t['capabilities'][0]['title']['ru'] = ' '; return $t; }],
            'roles not a list' => [static function (array $t): array { $t['roles'] = ['owner' => $t['roles'][0]]; return $t; }],
            'no roles' => [static function (array $t): array { $t['roles'] = []; return $t; }],
            'granted twice' => [static function (array $t): array { $t['roles'][3]['capabilities'][] = 'orders.view'; return $t; }],
        ];
    }

    /** @dataProvider brokenTables */
    public function testABrokenTableIsRefusedWithAReason(callable $break): void
    {
        $this->expectException(BadValue::class);
        CabinetAccess::parse($break(self::table()));
    }
}
