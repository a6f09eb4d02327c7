<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Gathers the order guard's facts on a site, through the cabinet's ports: the options "guard" and
 * "roles" (OptionPort), the user's active b2b_company_users rows, their companies and credit rows
 * (CabinetRows: the HL-blocks through D7, enumerations as codes), and the user's pick of a current
 * company (PeoplePort, the cabinet's user option). Reads nothing while the guard is not set up or
 * nobody is logged in, and counts a missing HL-block (the schema never applied) as "not set up":
 * the order then passes, the storefront never breaks for want of b2bsync.
 */
final class GuardReader
{
    public function __construct(
        private readonly BlockPort $blocks,
        private readonly RowPort $rows,
        private readonly PeoplePort $people,
        private readonly OptionPort $options,
        private readonly \DateTimeZone $tz,
    ) {
    }

    public function facts(?int $userId, float $total, string $currency, bool $b2bPayerType = true, bool $isNew = true): GuardFacts
    {
        $config = GuardConfig::fromOption($this->options->option(GuardConfig::OPTION));
        $roles = CabinetAccess::fromOption($this->options->option(OptionApi::ROLES));
        $off = new GuardFacts(null, $roles, $userId, $total, $currency, $isNew, $b2bPayerType);
        if (!$isNew || !$b2bPayerType || $config === null || !$roles->isConfigured() || $userId === null || $userId <= 0) {
            return $off;
        }
        $rows = new CabinetRows($this->blocks, $this->rows, $this->tz);
        try {
            $members = $rows->all(CabinetRows::MEMBERS, ['=UF_USER_ID' => $userId, '=UF_ACTIVE' => 1]);
            $ids = array_values(array_unique(array_map(static fn (array $r): int => (int)$r['UF_COMPANY_ID'], $members)));
            $companies = $ids === [] ? [] : $rows->all(CabinetRows::COMPANIES, ['@ID' => $ids]);
            $credit = $ids === [] ? [] : $rows->all(CabinetRows::CREDIT, ['@UF_COMPANY_ID' => $ids]);
        } catch (CabinetDenied $e) {
            if ($e->reason === CabinetDenied::UNCONFIGURED) {
                return $off;
            }
            throw $e;
        }
        return new GuardFacts(
            $config,
            $roles,
            $userId,
            $total,
            $currency,
            $isNew,
            $b2bPayerType,
            $ids === [] ? null : $this->people->preferredCompany($userId),
            $companies,
            $members,
            $credit,
        );
    }
}
