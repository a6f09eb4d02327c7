<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\BridgeApi;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\OrderEvents;
use PHPUnit\Framework\TestCase;

/**
 * The standard module layout, checked without Bitrix: version, installer class, callbacks for
 * every method, and a ru and an en text for every message the module shows.
 */
final class ModuleLayoutTest extends TestCase
{
    private const MODULE = __DIR__ . '/../b2bsync.bridge';

    public function testVersionFileMatchesTheApi(): void
    {
        $arModuleVersion = [];
        include self::MODULE . '/install/version.php';
        self::assertSame(BridgeApi::VERSION, $arModuleVersion['VERSION']);
        self::assertMatchesRegularExpression('/\A\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\z/', $arModuleVersion['VERSION_DATE']);
    }

    public function testInstallerIsNamedAfterTheModule(): void
    {
        $source = (string)file_get_contents(self::MODULE . '/install/index.php');
        self::assertMatchesRegularExpression('/^class b2bsync_bridge extends CModule$/m', $source);
        self::assertStringContainsString("public \$MODULE_ID = 'b2bsync.bridge';", $source);
        self::assertStringContainsString('new ModuleSetup(new InstallSteps()', $source);
        $events = array_map(static fn (array $h): string => $h[0] . ':' . $h[1], ModuleSetup::HANDLERS);
        self::assertSame([
            'rest:OnRestServiceBuildDescription',
            'sale:OnSaleStatusOrderChange',
            'sale:OnSaleOrderBeforeSaved',
            ':B2bOrderEventsOnAfterAdd',
            ':OrderCommentsOnAfterAdd',
            ':B2bInvitesOnAfterAdd',
        ], $events);
        foreach (ModuleSetup::HANDLERS as [, , $class, $method]) {
            $file = self::MODULE . '/lib/' . strtolower(substr($class, strrpos($class, '\\') + 1)) . '.php';
            self::assertStringContainsString("public static function $method(", (string)file_get_contents($file), $class);
        }
        $steps = (string)file_get_contents(self::MODULE . '/lib/installsteps.php');
        foreach (['registerEventHandler', 'registerEventHandlerCompatible', 'unRegisterEventHandler', 'isModuleInstalled'] as $needle) {
            self::assertStringContainsString($needle, $steps);
        }
    }

    public function testTheStatusLogNeverReadsTheOrdersLastActor(): void
    {
        $source = (string)file_get_contents(self::MODULE . '/lib/orderevents.php');
        self::assertStringNotContainsString("getField('EMP_STATUS_ID')", $source);
        self::assertNull(OrderEvents::actingUser(null));
        self::assertNull(OrderEvents::actingUser(new class () {
            public function getId(): ?int
            {
                return null;
            }
        }));
        self::assertSame(7, OrderEvents::actingUser(new class () {
            public function getId(): string
            {
                return '7';
            }
        }));
    }

    public function testOptionsPageUsesTheCoreAndChecksTheSession(): void
    {
        $source = (string)file_get_contents(self::MODULE . '/options.php');
        self::assertStringContainsString('check_bitrix_sessid()', $source);
        self::assertSame(substr_count($source, '<form'), substr_count($source, 'bitrix_sessid_post()'));
        foreach (['ServiceAccount', 'AccessPolicy::cleanAllowedBlocks', 'AccessPolicy::cleanUserGroups', 'ModuleSetup'] as $needle) {
            self::assertStringContainsString($needle, $source);
        }
    }

    public function testEveryMethodHasItsCallback(): void
    {
        $source = (string)file_get_contents(self::MODULE . '/lib/restservice.php');
        foreach (BridgeApi::METHODS as $method => $handler) {
            self::assertMatchesRegularExpression(
                '/public static function ' . $handler . '\(array \$query, \$nav, \\\\CRestServer \$server\): mixed \{ return self::run\(\'' . preg_quote($method, '/') . '\'/',
                $source,
                $method
            );
        }
    }

    public function testEveryClassFileIsLowerCaseAndDeclaresStrictTypes(): void
    {
        $files = [...glob(self::MODULE . '/lib/*.php'), ...glob(self::MODULE . '/lib/core/*.php')];
        self::assertNotEmpty($files);
        foreach ($files as $file) {
            self::assertSame(strtolower(basename($file)), basename($file));
            self::assertStringStartsWith("<?php\n\ndeclare(strict_types=1);", (string)file_get_contents($file), $file);
        }
    }

    /** @return array<string, array{0: string}> */
    public static function languages(): array
    {
        return ['ru' => ['ru'], 'en' => ['en']];
    }

    /** @dataProvider languages */
    public function testEveryMessageHasAText(string $lang): void
    {
        $keys = [];
        $iterator = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::MODULE . '/lang/' . $lang));
        foreach ($iterator as $file) {
            if ($file->isFile()) {
                $MESS = [];
                include $file->getPathname();
                foreach ($MESS as $key => $text) {
                    self::assertIsString($text);
                    $keys[$key] = true;
                }
            }
        }
        $used = [];
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::MODULE)) as $file) {
            if ($file->isFile() && $file->getExtension() === 'php' && !str_contains($file->getPathname(), '/lang/')) {
                preg_match_all("/getMessage\\(\\s*'(B2BSYNC_BRIDGE_[A-Z0-9_]+)'/", (string)file_get_contents($file->getPathname()), $m);
                foreach ($m[1] as $key) {
                    $used[$key] = true;
                }
            }
        }
        $reflection = new \ReflectionClass(ErrorCode::class);
        foreach ($reflection->getConstants() as $value) {
            if (is_string($value)) {
                $used['B2BSYNC_BRIDGE_' . $value] = true;
            }
        }
        $used += ['B2BSYNC_BRIDGE_STEP_INSTALLED' => true, 'B2BSYNC_BRIDGE_STEP_UNINSTALLED' => true];
        self::assertSame([], array_keys(array_diff_key($used, $keys)), "messages without a $lang text");
    }

    public function testLanguagesHaveTheSameFilesAndKeys(): void
    {
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::MODULE . '/lang/ru')) as $file) {
            if (!$file->isFile()) {
                continue;
            }
            $twin = str_replace('/lang/ru/', '/lang/en/', $file->getPathname());
            self::assertFileExists($twin);
            $MESS = [];
            include $file->getPathname();
            $ru = array_keys($MESS);
            $MESS = [];
            include $twin;
            self::assertSame($ru, array_keys($MESS), $twin);
        }
    }

    public function testEveryErrorCodeIsInTheContract(): void
    {
        $readme = (string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/README.md');
        foreach ((new \ReflectionClass(ErrorCode::class))->getConstants() as $value) {
            if (is_string($value)) {
                self::assertStringContainsString('| `' . $value . '` |', $readme);
            }
        }
    }
}
