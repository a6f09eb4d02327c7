<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Tests\Support\ContractRunner;
use PHPUnit\Framework\TestCase;

/**
 * Every scenario of bridge/contract/ against the module's Core (BridgeApi) over in-memory ports:
 * the same files the Python fake passes, so the PHP rules and the fake cannot drift apart.
 */
final class ContractTest extends TestCase
{
    /** @return array<string, array{0: string}> */
    public static function scenarios(): array
    {
        $out = [];
        foreach (ContractRunner::scenarios() as $file) {
            $out[basename($file, '.json')] = [$file];
        }
        return $out;
    }

    public function testEveryScenarioIsThere(): void
    {
        self::assertGreaterThanOrEqual(15, count(ContractRunner::scenarios()));
    }

    /** @dataProvider scenarios */
    public function testScenario(string $file): void
    {
        $problems = (new ContractRunner())->run(ContractRunner::load($file));
        self::assertSame([], array_slice($problems, 0, 20), implode("\n", array_slice($problems, 0, 20)));
    }

    public function testTheRunnerNoticesAWrongAnswer(): void
    {
        $expect = ['status' => 200, 'result' => ['ID' => 1, 'ACTION' => 'added']];
        self::assertSame([], ContractRunner::check($expect, 200, ['result' => ['ID' => 1, 'ACTION' => 'added']]));
        self::assertNotSame([], ContractRunner::check($expect, 200, ['result' => ['ID' => 1, 'ACTION' => 'updated']]));
        self::assertNotSame([], ContractRunner::check(['status' => 400, 'error' => 'ERROR_ARGUMENT'], 404, ['error' => 'ERROR_NOT_FOUND']));
        self::assertNotSame([], ContractRunner::check(['status' => 200, 'total' => null], 200, ['result' => [], 'total' => 3]));
    }
}
