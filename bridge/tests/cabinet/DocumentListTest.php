<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\DocumentList;
use B2bsync\Bridge\Core\LinkSigner;
use B2bsync\Bridge\Tests\Support\CabinetWorld as W;
use PHPUnit\Framework\TestCase;

/** Documents: the company's, never deleted ones; filters; downloads in the three file modes. */
final class DocumentListTest extends TestCase
{
    private W $world;

    protected function setUp(): void
    {
        $this->world = new W();
    }

    /** @param array<string, mixed> $get */
    private function list(int $user, array $get = []): array
    {
        $cabinet = $this->world->cabinet();
        return $cabinet->documents()->build($cabinet->scope()->current($user), $get, 'ru', '/cabinet/documents/', static fn (int $id): string => "/cabinet/documents/?download=$id");
    }

    private function download(int $user, int $id): array
    {
        $cabinet = $this->world->cabinet();
        return $cabinet->documents()->download($cabinet->scope()->current($user), $id);
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

    public function testTheCompanysDocumentsNewestFirst(): void
    {
        $result = $this->list(W::ACCOUNTANT);
        self::assertSame([1, 3, 5, 2], array_column($result['DOCUMENTS'], 'ID'), 'no deleted one, none of the other company');
        self::assertSame(['invoice', 'reconciliation', 'act', 'waybill'], array_column($result['DOCUMENTS'], 'TYPE'));
        self::assertSame(['/cabinet/documents/?download=1', '/cabinet/documents/?download=3', null, '/cabinet/documents/?download=2'], array_column($result['DOCUMENTS'], 'URL'), 'a document without a file has no link');
        self::assertSame("18\u{00A0}450,00\u{00A0}₽", $result['DOCUMENTS'][0]['AMOUNT']);
        self::assertSame('20.11.2026', $result['DOCUMENTS'][0]['DATE']);
        self::assertSame(W::PENDING_ORDER, $result['DOCUMENTS'][0]['ORDER_ID']);
        self::assertSame(4, $result['PAGING']['TOTAL']);
        self::assertCount(4, $this->list(W::OWNER)['DOCUMENTS']);
    }

    public function testFilters(): void
    {
        self::assertSame([2], array_column($this->list(W::ACCOUNTANT, ['type' => 'waybill'])['DOCUMENTS'], 'ID'));
        self::assertSame([1, 3], array_column($this->list(W::ACCOUNTANT, ['from' => '2026-11-01'])['DOCUMENTS'], 'ID'));
        self::assertSame([3, 5], array_column($this->list(W::ACCOUNTANT, ['from' => '2026-09-30', 'to' => '2026-11-01'])['DOCUMENTS'], 'ID'));
        self::assertSame([1], array_column($this->list(W::ACCOUNTANT, ['number' => '00412'])['DOCUMENTS'], 'ID'));
        self::assertSame([2], array_column($this->list(W::ACCOUNTANT, ['order' => (string)W::OLD_ORDER])['DOCUMENTS'], 'ID'));
        self::assertSame(['type' => 'waybill', 'from' => '', 'to' => '', 'number' => '', 'order' => ''], $this->list(W::ACCOUNTANT, ['type' => 'waybill'])['FILTER']);
        foreach ([['type' => 'passport'], ['from' => '01.11.2026'], ['order' => 'RM-1'], ['number' => str_repeat('1', 51)]] as $get) {
            $result = $this->list(W::ACCOUNTANT, $get);
            self::assertSame([], $result['DOCUMENTS'], json_encode($get));
            self::assertNotSame([], $result['ERRORS']);
        }
    }

    public function testWhoMaySeeDocuments(): void
    {
        foreach ([W::BUYER, W::VIEWER] as $user) {
            $this->denied(CabinetDenied::CAPABILITY, fn () => $this->list($user));
            $this->denied(CabinetDenied::CAPABILITY, fn () => $this->download($user, 1));
        }
    }

    public function testDownloadsInEachFileMode(): void
    {
        self::assertSame(['stored', 1, 'invoice-СЧ-00412.pdf'], $this->download(W::ACCOUNTANT, 1));
        self::assertSame(['uploaded', '/upload/b2b/docs/1/waybill-98.pdf', 'waybill-ТН-00098.pdf'], $this->download(W::ACCOUNTANT, 2));
        [$kind, $url] = $this->download(W::ACCOUNTANT, 3);
        self::assertSame('redirect', $kind);
        parse_str((string)parse_url($url, PHP_URL_QUERY), $q);
        self::assertStringStartsWith('https://b2b.example.ru/documents/d0c00001-0000-4000-8000-000000000003?doc=', $url);
        self::assertSame(['d0c00001-0000-4000-8000-000000000003', (string)W::ACCOUNTANT], [$q['doc'], $q['user']]);
        self::assertSame((new \DateTimeImmutable(W::NOW))->getTimestamp() + 3600, (int)$q['exp'], 'the module option link_ttl');
        self::assertTrue((new LinkSigner(W::LINK_SECRET))->verify($q['doc'], $q['user'], $q['exp'], $q['sig'], (int)$q['exp']));
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->download(W::ACCOUNTANT, 5), 'a document without a file');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->download(W::ACCOUNTANT, 4), 'deleted in 1C');
        $this->denied(CabinetDenied::NOT_FOUND, fn () => $this->download(W::ACCOUNTANT, 6), 'another company');
    }

    public function testALinkNeedsTheModulesSecret(): void
    {
        unset($this->world->site->options['link_secret']);
        $this->denied(CabinetDenied::UNCONFIGURED, fn () => $this->download(W::ACCOUNTANT, 3));
    }

    /** @return array<string, array{0: string, 1: ?string}> */
    public static function uploadPaths(): array
    {
        return [
            'the company folder' => ['/upload/b2b/docs/1/a.pdf', '/upload/b2b/docs/1/a.pdf'],
            'escaped name' => ['/upload/b2b/docs/1/%D0%A2%D0%9D.pdf', '/upload/b2b/docs/1/ТН.pdf'],
            'another company' => ['/upload/b2b/docs/2/a.pdf', null],
            'dot-dot' => ['/upload/b2b/docs/1/../2/a.pdf', null],
            'encoded dot-dot' => ['/upload/b2b/docs/1/%2E%2E/2/a.pdf', null],
            'outside the prefix' => ['/bitrix/.settings.php', null],
            'a prefix look-alike' => ['/upload/b2b/docsX/1/a.pdf', null],
            'hidden file' => ['/upload/b2b/docs/1/.htaccess', null],
            'deeper' => ['/upload/b2b/docs/1/x/a.pdf', null],
            'backslash' => ['/upload/b2b/docs/1/a\\..\\b.pdf', null],
            'folder only' => ['/upload/b2b/docs/1/', null],
        ];
    }

    /** @dataProvider uploadPaths */
    public function testUploadedFilesOnlyFromTheCompanysFolder(string $url, ?string $path): void
    {
        self::assertSame($path, DocumentList::uploadedPath($url, '/upload/b2b/docs/', 1));
    }
}
