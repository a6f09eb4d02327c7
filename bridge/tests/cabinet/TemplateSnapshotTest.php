<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use B2bsync\Bridge\Tests\Support\PageRunner;
use PHPUnit\Framework\TestCase;

/**
 * Every page of the cabinet rendered in ru and en, compared with tests/snapshots/<page>.<lang>.html.
 * A template or text change shows up here as a diff to read; after checking it, rewrite the
 * files with UPDATE_SNAPSHOTS=1 phpunit --configuration phpunit.xml --filter TemplateSnapshotTest.
 */
final class TemplateSnapshotTest extends TestCase
{
    private const DIR = __DIR__ . '/../snapshots';

    /** name => [uri, user] */
    private const PAGES = [
        'orders.buyer' => ['/cabinet/', W::BUYER],
        'orders.search' => ['/cabinet/orders/?article=ART-7731', W::BUYER],
        'order.owner' => ['/cabinet/orders/1024/', W::OWNER],
        'order.viewer' => ['/cabinet/orders/1023/', W::VIEWER],
        'documents.accountant' => ['/cabinet/', W::ACCOUNTANT],
        'finance.owner' => ['/cabinet/finance/', W::OWNER],
        'notifications.owner' => ['/cabinet/notifications/', W::OWNER],
        'company.owner' => ['/cabinet/company/', W::OWNER],
        'denied.accountant' => ['/cabinet/orders/', W::ACCOUNTANT],
    ];

    /** @return array<string, array{0: string, 1: string}> */
    public static function pages(): array
    {
        $out = [];
        foreach (array_keys(self::PAGES) as $name) {
            foreach (['ru', 'en'] as $lang) {
                $out["$name.$lang"] = [$name, $lang];
            }
        }
        return $out;
    }

    /** @dataProvider pages */
    public function testThePageRendersAsRecorded(string $name, string $lang): void
    {
        [$uri, $user] = self::PAGES[$name];
        $page = (new PageRunner(new W()))->get($uri, $user, $lang);
        $html = "<!-- $uri as user $user, status " . ($page['status'] ?? '200 OK') . ', title: ' . $page['title'] . " -->\n"
            . preg_replace('/id="sessid_\d+"/', 'id="sessid"', $page['body']);
        $file = self::DIR . "/$name.$lang.html";
        if (getenv('UPDATE_SNAPSHOTS') === '1') {
            file_put_contents($file, $html);
        }
        self::assertFileExists($file, 'UPDATE_SNAPSHOTS=1 writes it');
        self::assertSame((string)file_get_contents($file), $html);
    }

    /** Phrases (two words or more) of the ru lang files never appear in an en page; data (names, 1C texts) may. */
    public function testEnglishPagesCarryNoRussianInterfaceText(): void
    {
        $russian = [];
        $root = dirname(__DIR__, 2) . '/b2bsync.bridge';
        foreach (new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator($root)) as $file) {
            if ($file->isFile() && str_contains($file->getPathname(), '/lang/ru/')) {
                $MESS = [];
                include $file->getPathname();
                foreach ($MESS as $text) {
                    foreach (preg_split('/#[A-Z_]+#/', (string)$text) ?: [] as $part) {
                        if (str_contains(trim($part), ' ') && preg_match('/\p{Cyrillic}/u', $part) === 1) {
                            $russian[] = trim($part);
                        }
                    }
                }
            }
        }
        self::assertGreaterThan(50, count($russian));
        foreach (array_keys(self::PAGES) as $name) {
            $en = (string)file_get_contents(self::DIR . "/$name.en.html");
            foreach ($russian as $text) {
                $pattern = '/(?<!\\p{L})' . preg_quote($text, '/') . '(?!\\p{L})/u';
                self::assertDoesNotMatchRegularExpression($pattern, $en, "$name.en");
            }
        }
    }
}
