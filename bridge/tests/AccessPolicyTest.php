<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\AccessPolicy;
use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Tests\Support\MemorySite;
use PHPUnit\Framework\TestCase;

/** The refusals of AccessPolicy beyond the contract's scenarios (70_access.json). */
final class AccessPolicyTest extends TestCase
{
    private static function policy(?MemorySite $site = null): AccessPolicy
    {
        return new AccessPolicy($site ?? new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00')));
    }

    /** @return array<string, array{0: string, 1: bool}> */
    public static function recipients(): array
    {
        return [
            'one placeholder' => ['#EMAIL#', true],
            'two, comma' => ['#EMAIL#, #MANAGER_EMAIL#', true],
            'semicolon and spaces' => [" #A#;#B_2# \n", true],
            'empty' => ['', true],
            'an address' => ['boss@romashka.ru', false],
            'a placeholder and an address' => ['#EMAIL#,boss@romashka.ru', false],
            'lower-case placeholder' => ['#email#', false],
            'half a placeholder' => ['#EMAIL', false],
            'a name with an address' => ['Boss <#EMAIL#>', false],
        ];
    }

    /** @dataProvider recipients */
    public function testRecipientsAreOnlyPlaceholders(string $text, bool $allowed): void
    {
        self::assertSame($allowed, AccessPolicy::placeholdersOnly($text));
    }

    /** @return array<string, array{0: string, 1: string}> */
    public static function unsafe(): array
    {
        return [
            'php' => ['MESSAGE', '<?php echo 1; ?>'],
            'short echo' => ['SUBJECT', 'Заказ <?= $ID ?>'],
            'asp' => ['MESSAGE', '<% x %>'],
            'script any case' => ['MESSAGE', '<ScRiPt>alert(1)</script>'],
            'in the sender' => ['EMAIL_FROM', '<?=1?>'],
        ];
    }

    /** @dataProvider unsafe */
    public function testCodeMarkersAreRefusedInEveryField(string $field, string $text): void
    {
        $template = ['EMAIL_FROM' => '#DEFAULT_EMAIL_FROM#', 'EMAIL_TO' => '#EMAIL#', 'BCC' => '', 'SUBJECT' => 's', 'MESSAGE' => 'm'];
        $template[$field] = $text;
        try {
            self::policy()->template($template);
            self::fail("$field accepted");
        } catch (ApiError $e) {
            self::assertSame('ERROR_TEMPLATE_UNSAFE', $e->errorCode());
        }
    }

    public function testSettingsPageValuesAreCleaned(): void
    {
        self::assertSame(['B2bCompanies', 'Warehouses'], AccessPolicy::cleanAllowedBlocks(['Warehouses', 'Nope', 7, 'B2bCompanies', 'Warehouses'], ['B2bCompanies', 'Warehouses', 'Other']));
        self::assertSame([3, 6], AccessPolicy::cleanUserGroups(['6', 1, '2', 5, 'x', -3, 3, ' 6'], 5));
    }

    public function testReportedGroupsAreExplicitMemberships(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        self::assertSame([6, 9], self::policy($site)->reportedGroups([2, 3, 4, 6, 9], [3, 4]));
        $site->options['user_groups'] = json_encode([4, 6]);
        self::assertSame([4, 6, 9], self::policy($site)->reportedGroups([2, 3, 4, 6, 9], [3, 4]));
    }

    public function testNobodyIsNobody(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $site->callerId = 0;
        $this->expectException(ApiError::class);
        self::policy($site)->caller();
    }

    public function testWithoutAServiceGroupOnlyAdministratorsGetIn(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $site->options = [];
        self::assertSame(1, self::policy($site)->caller());
        self::assertFalse(self::policy($site)->isServiceMember(1));
    }
}
