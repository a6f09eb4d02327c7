<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests;

use B2bsync\Bridge\Core\CabinetAccess;
use B2bsync\Bridge\Core\GuardDecision;
use B2bsync\Bridge\Core\GuardFacts;
use B2bsync\Bridge\Core\OrderGuard;
use B2bsync\Bridge\Tests\Support\ContractRunner;
use B2bsync\Bridge\Tests\Support\GuardCases;
use PHPUnit\Framework\TestCase;

/**
 * The order guard's decision table (bridge/contract/order_guard.json), every case twice: given to
 * OrderGuard as facts, and loaded into a MemorySite with the schema applied and read back by
 * GuardReader (the options, the HL rows through CabinetRows, the user's pick of a company) — the
 * path the handler of sale:OnSaleOrderBeforeSaved takes on a site. The texts come from the
 * module's language files, which must hold the contract's messages word for word.
 */
final class OrderGuardTest extends TestCase
{
    /** @return array<string, array{0: array<string, mixed>}> */
    public static function cases(): array
    {
        $out = [];
        foreach (GuardCases::doc()['cases'] as $case) {
            $out[$case['name']] = [$case];
        }
        return $out;
    }

    /**
     * @dataProvider cases
     * @param array<string, mixed> $case
     */
    public function testTheCoreDecides(array $case): void
    {
        $input = GuardCases::input($case);
        $facts = GuardFacts::fromArray($input);
        $this->assertDecision($case, OrderGuard::decide($facts), $facts->roles);
    }

    /**
     * @dataProvider cases
     * @param array<string, mixed> $case
     */
    public function testTheSiteDecidesFromItsRows(array $case): void
    {
        $input = GuardCases::input($case);
        $order = $input['order'];
        $facts = GuardCases::site($input)->facts(
            $input['user_id'],
            (float)$order['total'],
            (string)$order['currency'],
            (bool)$order['b2b_payer_type'],
            (bool)$order['new'],
        );
        $this->assertDecision($case, OrderGuard::decide($facts), $facts->roles);
    }

    /** @param array<string, mixed> $case */
    private function assertDecision(array $case, GuardDecision $decision, CabinetAccess $roles): void
    {
        $actual = GuardCases::sorted(json_decode(json_encode($decision->toArray(GuardCases::templates(), $roles), JSON_THROW_ON_ERROR), true));
        $expected = GuardCases::sorted($case['expect']);
        self::assertTrue(
            ContractRunner::equal($expected, $actual),
            json_encode($actual, JSON_UNESCAPED_UNICODE) . "\nexpected " . json_encode($expected, JSON_UNESCAPED_UNICODE),
        );
    }

    public function testTheLanguageFilesHoldTheContractsMessages(): void
    {
        $messages = GuardCases::doc()['messages'];
        $templates = GuardCases::templates();
        foreach ($messages as $key => $message) {
            self::assertSame(['ru' => $message['ru'], 'en' => $message['en']], $templates[$key] ?? null, $key);
            self::assertSame($message['code'], OrderGuard::MESSAGE_CODES[$key], $key);
        }
        self::assertSame(array_keys($messages), array_keys(OrderGuard::MESSAGE_CODES));
        // one more text the handler alone uses: the sale module refused the link or the status
        self::assertSame(['failed'], array_values(array_diff(array_keys($templates), array_keys($messages))));
    }

    public function testEveryOutcomeAndEveryReasonHasACase(): void
    {
        $seen = [];
        foreach (GuardCases::doc()['cases'] as $case) {
            $seen[$case['expect']['decision']] = true;
            foreach ($case['expect']['reasons'] ?? [] as $reason) {
                $seen[$reason] = true;
            }
            if (isset($case['expect']['message'])) {
                $seen[$case['expect']['message']] = true;
            }
        }
        $wanted = [GuardDecision::PASS, GuardDecision::SAVE, GuardDecision::PENDING, GuardDecision::REFUSE, ...OrderGuard::REASONS, ...array_keys(OrderGuard::MESSAGE_CODES)];
        self::assertSame([], array_values(array_diff($wanted, array_keys($seen))));
    }

    public function testTheRunnerNoticesAWrongDecision(): void
    {
        $case = GuardCases::doc()['cases'][0];
        $case['expect'] = ['decision' => 'save', 'company_id' => 1];
        $facts = GuardFacts::fromArray(GuardCases::input($case));
        $actual = OrderGuard::decide($facts)->toArray(GuardCases::templates(), $facts->roles);
        self::assertFalse(ContractRunner::equal(GuardCases::sorted($case['expect']), GuardCases::sorted($actual)));
    }
}
