<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\CabinetRoutes;
use PHPUnit\Framework\TestCase;

/**
 * The components' layout, checked without Bitrix (the module-wide checks are in
 * ModuleLayoutTest): the files each component needs, ru and en with the same keys, every message
 * a file asks for present, every <?= escaped, every form carrying the session token, no logic
 * hooks integrators would have to copy, and the routes declared once.
 */
final class ComponentLayoutTest extends TestCase
{
    private const ROOT = __DIR__ . '/../../b2bsync.bridge';
    private const COMPONENTS = self::ROOT . '/install/components/b2bsync';
    public const NAMES = ['cabinet', 'orders', 'order', 'documents', 'finance', 'notifications', 'company'];

    /** @return array<string, array{0: string}> */
    public static function components(): array
    {
        return array_combine(self::NAMES, array_map(static fn (string $n): array => [$n], self::NAMES));
    }

    /** @return list<string> the component's PHP files outside lang/ */
    private static function files(string $name): array
    {
        $out = [];
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::COMPONENTS . "/$name", \FilesystemIterator::SKIP_DOTS)) as $file) {
            if ($file->getExtension() === 'php' && !str_contains($file->getPathname(), '/lang/')) {
                $out[] = $file->getPathname();
            }
        }
        sort($out);
        return $out;
    }

    /** @return array<string, string> every message of the component's lang files in $lang, by key */
    private static function messages(string $name, string $lang): array
    {
        $all = [];
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::COMPONENTS . "/$name", \FilesystemIterator::SKIP_DOTS)) as $file) {
            if (str_contains($file->getPathname(), "/lang/$lang/")) {
                $MESS = [];
                include $file->getPathname();
                $all += $MESS;
            }
        }
        return $all;
    }

    public function testEveryComponentIsThere(): void
    {
        $found = array_map('basename', glob(self::COMPONENTS . '/*', GLOB_ONLYDIR) ?: []);
        sort($found);
        $expected = self::NAMES;
        sort($expected);
        self::assertSame($expected, $found);
    }

    /** @dataProvider components */
    public function testTheFilesAComponentNeeds(string $name): void
    {
        foreach (['class.php', '.description.php', '.parameters.php', 'templates/.default/template.php'] as $file) {
            self::assertFileExists(self::COMPONENTS . "/$name/$file");
            if ($file !== 'templates/.default/template.php') {
                foreach (['ru', 'en'] as $lang) {
                    self::assertFileExists(self::COMPONENTS . "/$name/lang/$lang/$file");
                }
            }
        }
        foreach (['ru', 'en'] as $lang) {
            self::assertFileExists(self::COMPONENTS . "/$name/templates/.default/lang/$lang/template.php");
        }
        self::assertFileDoesNotExist(self::COMPONENTS . "/$name/templates/.default/result_modifier.php", 'no logic in templates');
        self::assertFileDoesNotExist(self::COMPONENTS . "/$name/templates/.default/component_epilog.php");
        self::assertFileDoesNotExist(self::COMPONENTS . "/$name/component.php", 'class.php only');
        self::assertFileDoesNotExist(self::COMPONENTS . "/$name/ajax.php", 'AJAX goes through lib/controller');
        $description = (string)file_get_contents(self::COMPONENTS . "/$name/.description.php");
        self::assertStringContainsString("'ID' => 'b2bsync'", $description, 'placed in the editor\'s b2bsync folder');
        self::assertSame($name === 'cabinet', str_contains($description, "'COMPLEX' => 'Y'"));
        self::assertMatchesRegularExpression('/^final class B2bsync' . ucfirst($name) . 'Component extends CabinetComponent$/m', (string)file_get_contents(self::COMPONENTS . "/$name/class.php"));
    }

    /** @dataProvider components */
    public function testRuAndEnHaveTheSameFilesAndKeys(string $name): void
    {
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(self::COMPONENTS . "/$name", \FilesystemIterator::SKIP_DOTS)) as $file) {
            if (!str_contains($file->getPathname(), '/lang/ru/')) {
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
            foreach ($MESS as $key => $text) {
                self::assertNotSame('', trim((string)$text), "$twin $key");
            }
        }
    }

    /** @dataProvider components */
    public function testEveryMessageAFileAsksForExists(string $name): void
    {
        $messages = ['ru' => self::messages($name, 'ru'), 'en' => self::messages($name, 'en')];
        foreach (self::files($name) as $file) {
            preg_match_all("/getMessage\\(\\s*'([A-Z0-9_]+)'\\s*[,)]/", (string)file_get_contents($file), $m);
            foreach ($m[1] as $key) {
                foreach (['ru', 'en'] as $lang) {
                    self::assertArrayHasKey($key, $messages[$lang], basename($file) . " asks for $key ($lang)");
                }
            }
        }
        if ($name === 'cabinet') {
            foreach (array_keys(CabinetRoutes::PAGES) as $page) {
                foreach (['ru', 'en'] as $lang) {
                    self::assertArrayHasKey('B2BSYNC_CABINET_PARAM_PAGE_' . strtoupper($page), $messages[$lang], "the SEF entry of $page");
                }
            }
        }
    }

    public function testEveryRefusalHasAText(): void
    {
        foreach (['ru', 'en'] as $lang) {
            $MESS = [];
            include self::ROOT . "/lang/$lang/lib/cabinet/cabinetcomponent.php";
            foreach (CabinetDenied::reasons() as $reason) {
                self::assertArrayHasKey('B2BSYNC_CABINET_DENIED_' . strtoupper($reason), $MESS, $lang);
            }
        }
    }

    /** @return list<string> */
    private static function templates(): array
    {
        $out = [];
        foreach (self::NAMES as $name) {
            foreach (self::files($name) as $file) {
                if (str_contains($file, '/templates/')) {
                    $out[] = $file;
                }
            }
        }
        return $out;
    }

    public function testEveryOutputIsEscaped(): void
    {
        $count = 0;
        foreach (self::templates() as $file) {
            $source = (string)file_get_contents($file);
            preg_match_all('/<\?=\s*(.*?)\s*\?>/s', $source, $m);
            foreach ($m[1] as $expression) {
                $count++;
                self::assertTrue(
                    str_starts_with($expression, 'htmlspecialcharsbx(') || $expression === 'bitrix_sessid_post()',
                    basename(dirname($file, 3)) . '/' . basename($file) . ": <?= $expression ?> is not escaped",
                );
            }
            self::assertDoesNotMatchRegularExpression('/\b(echo|print|printf|print_r|var_dump)\b/', $source, "$file writes output itself");
            self::assertStringNotContainsString('<?php=', $source);
        }
        self::assertGreaterThan(200, $count);
    }

    public function testEveryPostFormCarriesTheSessionToken(): void
    {
        $forms = 0;
        foreach (self::templates() as $file) {
            preg_match_all('~<form\b([^>]*)>(.*?)</form>~s', (string)file_get_contents($file), $m, PREG_SET_ORDER);
            foreach ($m as [, $attributes, $body]) {
                if (!str_contains($attributes, 'method="post"')) {
                    self::assertStringContainsString('method="get"', $attributes, "$file: a form says its method");
                    continue;
                }
                $forms++;
                self::assertStringContainsString('<?= bitrix_sessid_post() ?>', $body, "$file: a POST form without the session token");
                self::assertMatchesRegularExpression('/name="b2b_action" value="/', $body, "$file: a POST form names its action");
            }
        }
        self::assertGreaterThanOrEqual(11, $forms);
    }

    public function testTheCabinetHasAPageFileForEveryRoute(): void
    {
        foreach (CabinetRoutes::PAGES as $page => $route) {
            $file = self::COMPONENTS . "/cabinet/templates/.default/$page.php";
            self::assertFileExists($file);
            $source = (string)file_get_contents($file);
            self::assertStringContainsString("include __DIR__ . '/header.php';", $source);
            self::assertStringContainsString("IncludeComponent('{$route['component']}'", $source);
        }
        $parameters = (string)file_get_contents(self::COMPONENTS . '/cabinet/.parameters.php');
        self::assertStringContainsString('foreach (CabinetRoutes::PAGES as $page => $route)', $parameters, 'the routes are declared once');
    }

    public function testTheCoreCallsNoBitrixCode(): void
    {
        foreach (glob(self::ROOT . '/lib/core/*.php') ?: [] as $file) {
            $source = '';
            foreach (token_get_all((string)file_get_contents($file)) as $token) {
                if (!is_array($token) || !in_array($token[0], [T_COMMENT, T_DOC_COMMENT], true)) {
                    $source .= is_array($token) ? $token[1] : $token;
                }
            }
            self::assertDoesNotMatchRegularExpression('/\\\\?Bitrix\\\\|\bC(?:Main|User|File|Option|Event)\b|\$GLOBALS|\$_(?:GET|POST|REQUEST|SERVER|SESSION)/', $source, basename($file));
        }
    }

    public function testEveryModuleClassFileIsLowerCaseWithStrictTypes(): void
    {
        $files = [...glob(self::ROOT . '/lib/cabinet/*.php'), ...glob(self::ROOT . '/lib/controller/*.php')];
        self::assertCount(9, $files);
        foreach ($files as $file) {
            self::assertSame(strtolower(basename($file)), basename($file));
            self::assertStringStartsWith("<?php\n\ndeclare(strict_types=1);", (string)file_get_contents($file), $file);
        }
    }

    public function testTheInstallerCopiesAndRemovesTheComponents(): void
    {
        $installer = (string)file_get_contents(self::ROOT . '/install/index.php');
        foreach (['public function InstallCabinetComponents(): void', 'public function UnInstallCabinetComponents(): void', "'/local/components/b2bsync'", '$this->InstallCabinet();', '$this->UnInstallCabinet();', 'public function InstallCabinetIndexes(): void', 'public function InstallCabinetArticleIndex(): void', 'ArticleIndexer::fillAgent(0);', 'public function InstallCabinetBell(): void'] as $needle) {
            self::assertStringContainsString($needle, $installer);
        }
        $installerEvents = [];
        preg_match("/CABINET_BELL_EVENTS = \\[([^\\]]*)\\]/", $installer, $m);
        preg_match_all("/'([A-Za-z0-9]+)'/", $m[1] ?? '', $names);
        self::assertSame(\B2bsync\Bridge\Cabinet\BellPush::EVENTS, $names[1], 'the installer registers the events BellPush names');
        $settings = require self::ROOT . '/.settings.php';
        self::assertSame('\\B2bsync\\Bridge\\Controller', $settings['controllers']['value']['defaultNamespace']);
        self::assertArrayHasKey('b2bsync.bridge.cabinet', $settings['services']['value']);
    }
}
