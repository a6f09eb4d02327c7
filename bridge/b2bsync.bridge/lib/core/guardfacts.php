<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the order guard decides from: the guard option, the role table, the user saving the order
 * (null: nobody logged in), their pick of a current company, the rows of b2b_company_users,
 * b2b_companies and b2b_credit_status (HL field names, enumerations as codes — CabinetRows'
 * form — listed by ID), and the order's total, currency, whether it is new and whether its payer
 * type carries the B2B_COMPANY_ID property (one of the B2B payer types).
 * GuardReader gathers them on a site; fromArray() reads a case of bridge/contract/order_guard.json.
 */
final class GuardFacts
{
    /**
     * @param list<array<string, mixed>> $companies
     * @param list<array<string, mixed>> $members
     * @param list<array<string, mixed>> $credit
     */
    public function __construct(
        public readonly ?GuardConfig $config,
        public readonly CabinetAccess $roles,
        public readonly ?int $userId,
        public readonly float $total,
        public readonly string $currency,
        public readonly bool $isNew = true,
        public readonly bool $b2bPayerType = true,
        public readonly ?int $preferredCompany = null,
        public readonly array $companies = [],
        public readonly array $members = [],
        public readonly array $credit = [],
    ) {
    }

    /**
     * A case's input in the contract's form (defaults merged): "config" the option's value or
     * null, "roles" the role table or null.
     * @param array<string, mixed> $input
     */
    public static function fromArray(array $input): self
    {
        $config = null;
        if (isset($input['config'])) {
            try {
                $config = GuardConfig::parse($input['config']);
            } catch (BadValue) {
                $config = null;
            }
        }
        $roles = CabinetAccess::unconfigured();
        if (isset($input['roles'])) {
            try {
                $roles = CabinetAccess::parse($input['roles']);
            } catch (BadValue) {
            }
        }
        $order = $input['order'];
        return new self(
            $config,
            $roles,
            isset($input['user_id']) ? (int)$input['user_id'] : null,
            (float)($order['total'] ?? 0),
            (string)($order['currency'] ?? ''),
            (bool)($order['new'] ?? true),
            (bool)($order['b2b_payer_type'] ?? true),
            isset($input['preferred_company']) ? (int)$input['preferred_company'] : null,
            array_values($input['companies'] ?? []),
            array_values($input['members'] ?? []),
            array_values($input['credit'] ?? []),
        );
    }
}
