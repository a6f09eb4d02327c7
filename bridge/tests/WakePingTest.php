<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\ModuleSetup;
use B2bsync\Bridge\Core\WakePing;
use PHPUnit\Framework\TestCase;

/** The module's wake-up pings reproduce bridge/contract/events.json, which b2bsync's
 * POST /events verifier and the Python fake also pass. */
final class WakePingTest extends TestCase
{
    /** @return array<string, mixed> */
    private static function spec(): array
    {
        return json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/events.json'), true, 512, JSON_THROW_ON_ERROR);
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function vectors(): array
    {
        $out = [];
        foreach (self::spec()['vectors'] as $i => $vector) {
            $out["vector $i"] = [$vector];
        }
        return $out;
    }

    /** @return array<string, array{0: array<string, mixed>}> */
    public static function invalid(): array
    {
        $out = [];
        foreach (self::spec()['invalid'] as $case) {
            $out[$case['why']] = [$case];
        }
        return $out;
    }

    /**
     * @dataProvider vectors
     * @param array<string, mixed> $vector
     */
    public function testTheRequestIsTheVector(array $vector): void
    {
        $request = WakePing::request($vector['sidecar_url'], $vector['secret'], $vector['block'], $vector['id'], $vector['timestamp']);
        self::assertNotNull($request);
        self::assertSame($vector['url'], $request['url']);
        self::assertSame($vector['body'], $request['body']);
        self::assertSame($vector['canonical'], WakePing::canonical($vector['timestamp'], $vector['body']));
        self::assertSame(
            ['Content-Type' => 'application/json', 'X-B2bsync-Timestamp' => (string)$vector['timestamp'], 'X-B2bsync-Signature' => $vector['signature']],
            $request['headers'],
        );
        self::assertSame(43, strlen($request['headers']['X-B2bsync-Signature']));
    }

    /**
     * @dataProvider invalid
     * @param array<string, mixed> $case
     */
    public function testInvalidCasesDoNotMatch(array $case): void
    {
        self::assertFalse(hash_equals(WakePing::signature($case['secret'], $case['timestamp'], $case['body']), $case['signature']));
    }

    public function testNoPingWithoutAnAddressOrASecretOrForAnotherBlock(): void
    {
        self::assertNull(WakePing::request('', 'secret', 'order_comments', 1, 0));
        self::assertNull(WakePing::request('https://b2b.example.ru', '', 'order_comments', 1, 0));
        self::assertNull(WakePing::request('https://b2b.example.ru', 'secret', 'b2b_documents', 1, 0));
        self::assertNull(WakePing::request('https://b2b.example.ru', 'secret', 'order_comments', 0, 0));
    }

    public function testEntityEventsNameTheWatchedBlocks(): void
    {
        self::assertSame(self::spec()['blocks'], WakePing::BLOCKS);
        self::assertSame('order_comments', WakePing::tableForEvent('OrderCommentsOnAfterAdd'));
        self::assertSame('b2b_order_events', WakePing::tableForEvent('B2bOrderEventsOnAfterAdd'));
        self::assertSame('b2b_invites', WakePing::tableForEvent('b2binvitesonafteradd'));
        self::assertNull(WakePing::tableForEvent('B2bDocumentsOnAfterAdd'));
        self::assertNull(WakePing::tableForEvent('OrderCommentsOnAfterUpdate'));
    }

    public function testTheInstallerRegistersEveryWatchedBlock(): void
    {
        foreach (array_keys(WakePing::BLOCKS) as $name) {
            self::assertContains(['', "{$name}OnAfterAdd", '\\B2bsync\\Bridge\\Wakeups', 'onRowAdded', true], ModuleSetup::HANDLERS);
        }
    }
}
