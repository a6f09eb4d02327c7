<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\Tests\Support\MemoryModule;
use B2bsync\Bridge\Tests\Support\MemorySite;
use PHPUnit\Framework\TestCase;

/**
 * Install, upgrade (the installation run again), uninstall: every step idempotent, on the
 * MemoryModule whose register() fails a second time as main 25.550's plain INSERT does; and the
 * service account the settings page makes.
 */
final class ModuleSetupTest extends TestCase
{
    private static function site(): MemorySite
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        // a site before the installer: no service group, no options
        unset($site->groups[MemorySite::SERVICE_GROUP]);
        $site->options = [];
        $site->rights = [];
        return $site;
    }

    public function testInstallingTwiceIsTheUpgradePath(): void
    {
        $site = self::site();
        $module = new MemoryModule();
        $setup = new ModuleSetup($module, new ServiceAccount($site));
        self::assertSame(['table', 'module', 'handlers', 'service_group'], $setup->install());
        self::assertSame(['handlers', 'service_group'], $setup->install());
        self::assertTrue($module->registered);
        self::assertSame(ModuleSetup::HANDLERS, $module->handlers, 'each handler registered exactly once');
        $groupId = (int)$site->options[ServiceAccount::OPTION_GROUP];
        self::assertSame(ServiceAccount::GROUP_CODE, $site->groups[$groupId]['STRING_ID']);
        self::assertCount(1, array_filter($site->groups, static fn (array $g): bool => $g['STRING_ID'] === ServiceAccount::GROUP_CODE));
        self::assertSame(['sale' => [$groupId => 'W']], $site->rights);
        self::assertSame(2, $module->cacheCleared);
    }

    public function testAVersionOneSiteUpgradesWithoutTheDuplicateEntry(): void
    {
        $site = self::site();
        $module = new MemoryModule();
        $module->registered = true;
        $module->table = true;
        $module->handlers = [ModuleSetup::HANDLERS[0], ModuleSetup::HANDLERS[1]];
        (new ModuleSetup($module, new ServiceAccount($site)))->install();
        self::assertSame(ModuleSetup::HANDLERS, $module->handlers);
    }

    public function testTheGroupIsFoundByItsCodeWhenTheOptionIsLost(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $site->options = [];
        self::assertSame(MemorySite::SERVICE_GROUP, (new ServiceAccount($site))->group());
        self::assertSame((string)MemorySite::SERVICE_GROUP, $site->options[ServiceAccount::OPTION_GROUP]);
    }

    public function testTheServiceUserAndItsWebhook(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $account = new ServiceAccount($site);
        $hook = $account->webhook('b2bsync@example.ru');
        $userId = (int)$site->options[ServiceAccount::OPTION_USER];
        self::assertSame($userId, $hook['USER_ID']);
        self::assertSame([MemorySite::SERVICE_GROUP], $site->users[$userId]['GROUP_IDS'], 'no rating group, no other group');
        self::assertSame(['b2bsync', 'sale'], $hook['SCOPES']);
        self::assertSame("https://shop.example.ru/rest/$userId/{$hook['PASSWORD']}/", ServiceAccount::url('https://shop.example.ru/', $userId, $hook['PASSWORD']));
        self::assertSame($hook, $account->webhook('b2bsync@example.ru'), 'the same webhook the second time');
        $other = $site->addWebhook($userId, ['catalog', 'sale', 'user']);
        $again = $account->webhook('b2bsync@example.ru');
        self::assertSame($hook['ID'], $again['ID']);
        self::assertArrayNotHasKey($other['ID'], $site->webhooks, 'a webhook with other scopes is deleted');
        $rotated = $account->webhook('b2bsync@example.ru', true);
        self::assertNotSame($hook['PASSWORD'], $rotated['PASSWORD']);
        self::assertCount(1, $site->webhooks, 'the old secret is gone');
        self::assertSame(['GROUP_ID' => MemorySite::SERVICE_GROUP, 'USER' => $site->user($userId), 'WEBHOOK' => $rotated], $account->status());
    }

    public function testAStrayMembershipIsTakenAwayAndADisabledUserReactivated(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $account = new ServiceAccount($site);
        $userId = $account->user('b2bsync@example.ru');
        $site->users[$userId]['GROUP_IDS'] = [1, MemorySite::SERVICE_GROUP];
        $site->users[$userId]['ACTIVE'] = false;
        self::assertSame($userId, $account->user('b2bsync@example.ru'));
        self::assertSame([MemorySite::SERVICE_GROUP], $site->users[$userId]['GROUP_IDS']);
        self::assertTrue($site->users[$userId]['ACTIVE']);
    }

    public function testABadEmailIsRefusedBeforeAnythingIsMade(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        try {
            (new ServiceAccount($site))->webhook('not an e-mail');
            self::fail('accepted');
        } catch (ApiError $e) {
            self::assertSame('ERROR_ARGUMENT', $e->errorCode());
        }
        self::assertCount(1, $site->users);
        self::assertSame([], $site->webhooks);
    }

    public function testUninstallSwitchesTheServiceAccountOff(): void
    {
        $site = new MemorySite(new \DateTimeImmutable('2026-11-24T04:17:58+03:00'));
        $module = new MemoryModule();
        $account = new ServiceAccount($site);
        $setup = new ModuleSetup($module, $account);
        $setup->install();
        $hook = $account->webhook('b2bsync@example.ru');
        $setup->uninstall();
        self::assertFalse($module->registered);
        self::assertSame([], $module->handlers);
        self::assertSame([], $site->webhooks);
        self::assertFalse($site->users[$hook['USER_ID']]['ACTIVE']);
        $setup->uninstall();
        $setup->install();
        self::assertTrue($module->registered);
    }
}
