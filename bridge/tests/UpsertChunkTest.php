<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\ItemApi;
use B2bsync\Bridge\Tests\Support\ContractRunner;
use PHPUnit\Framework\TestCase;

/** b2bsync.item.upsert with ROWS: one lock and one lookup for a chunk, and its size limit. */
final class UpsertChunkTest extends TestCase
{
    private static function runner(): ContractRunner
    {
        $runner = new ContractRunner();
        $runner->call('b2bsync.hlblock.declare', ['NAMES' => ['B2bCompanies']]);
        $runner->call('b2bsync.hlblock.add', ['NAME' => 'B2bCompanies', 'TABLE_NAME' => 'b2b_companies']);
        $runner->call('b2bsync.hlblock.field.add', ['HLBLOCK_ID' => 1, 'FIELD' => ['FIELD_NAME' => 'UF_XML_ID', 'USER_TYPE_ID' => 'string']]);
        $runner->call('b2bsync.hlblock.field.add', ['HLBLOCK_ID' => 1, 'FIELD' => ['FIELD_NAME' => 'UF_NAME', 'USER_TYPE_ID' => 'string']]);
        return $runner;
    }

    /** @return list<array<string, string>> */
    private static function rows(int $count, string $name = 'n'): array
    {
        return array_map(static fn (int $i): array => ['UF_XML_ID' => "g-$i", 'UF_NAME' => "$name $i"], range(1, $count));
    }

    public function testAChunkTakesOneLock(): void
    {
        $runner = self::runner();
        [$status, $body] = $runner->call('b2bsync.item.upsert', ['HLBLOCK' => 1, 'KEY' => ['UF_XML_ID'], 'ROWS' => self::rows(500)]);
        self::assertSame(200, $status);
        self::assertCount(500, $body['result']);
        self::assertSame(['added'], array_values(array_unique(array_column($body['result'], 'ACTION'))));
        self::assertCount(1, $runner->site->locksTaken);
        [, $body] = $runner->call('b2bsync.item.upsert', ['HLBLOCK' => 1, 'KEY' => ['UF_XML_ID'], 'ROWS' => self::rows(500, 'm')]);
        self::assertSame(['updated'], array_values(array_unique(array_column($body['result'], 'ACTION'))));
        self::assertSame(range(1, 500), array_column($body['result'], 'ID'));
        self::assertCount(2, $runner->site->locksTaken);
        self::assertCount(500, $runner->site->rows[1]);
    }

    public function testTheLimitIsPerCall(): void
    {
        $runner = self::runner();
        [$status, $body] = $runner->call('b2bsync.item.upsert', ['HLBLOCK' => 1, 'KEY' => ['UF_XML_ID'], 'ROWS' => self::rows(ItemApi::MAX_ROWS + 1)]);
        self::assertSame([400, 'ERROR_ARGUMENT'], [$status, $body['error']]);
        self::assertSame([], $runner->site->rows[1]);
        self::assertSame([], $runner->site->locksTaken);
    }
}
