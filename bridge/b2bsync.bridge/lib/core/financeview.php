<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The company's credit position (b2b_credit_status, written by b2bsync's credit sync): limit and
 * used with the share for the progress bar, overdue with the day it started, this month's orders,
 * the block and its reason, and "data updating" when 1C computed the figures (UF_SOURCE_AT) longer
 * ago than the staleness limit — or never said when. The header shows the summary of the same.
 */
final class FinanceView
{
    public const DEFAULT_STALE_HOURS = 6;

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /** @return array<string, mixed> */
    public function build(Membership $m, string $lang, int $staleHours = self::DEFAULT_STALE_HOURS): array
    {
        $this->cabinet->scope()->require($m, CabinetAccess::FINANCE_VIEW);
        return self::shape($this->position($m), $this->cabinet->now(), $staleHours, $lang);
    }

    /** @return array<string, mixed>|null */
    public function position(Membership $m): ?array
    {
        return $this->cabinet->rows()->first(CabinetRows::CREDIT, ['=UF_COMPANY_ID' => $m->companyId]);
    }

    /**
     * @param array<string, mixed>|null $row
     * @return array<string, mixed>
     */
    public static function shape(?array $row, \DateTimeImmutable $now, int $staleHours, string $lang): array
    {
        if ($row === null) {
            return ['KNOWN' => false, 'STALE' => true, 'BLOCKED' => false, 'BLOCK_REASON' => ''];
        }
        $currency = (string)($row['UF_CURRENCY'] ?? '');
        $limit = isset($row['UF_CREDIT_LIMIT']) ? (float)$row['UF_CREDIT_LIMIT'] : null;
        $used = (float)($row['UF_CREDIT_USED'] ?? 0);
        $overdue = (float)($row['UF_OVERDUE_AMOUNT'] ?? 0);
        $asOf = $row['UF_SOURCE_AT'] ?? null;
        $stale = !$asOf instanceof \DateTimeInterface
            || $now->getTimestamp() - $asOf->getTimestamp() > max(1, $staleHours) * 3600;
        $percent = $limit !== null && $limit > 0 ? (int)min(100, max(0, round($used / $limit * 100))) : ($used > 0 ? 100 : 0);
        $money = static fn (?float $v): string => CabinetFormat::money($v, $currency, $lang);
        return [
            'KNOWN' => true,
            'LIMIT' => $limit === null ? '' : $money($limit),
            'USED' => $money($used),
            'AVAILABLE' => $limit === null ? '' : $money(max(0.0, $limit - $used)),
            'PERCENT' => $percent,
            'OVER_LIMIT' => $limit !== null && $used > $limit,
            'HAS_OVERDUE' => $overdue > 0,
            'OVERDUE' => $money($overdue),
            'OVERDUE_SINCE' => $overdue > 0 ? CabinetFormat::date($row['UF_OVERDUE_SINCE'] ?? null, $lang) : '',
            'MONTH_ORDERS' => $money((float)($row['UF_MONTH_ORDERS_AMOUNT'] ?? 0)),
            'AS_OF' => $asOf instanceof \DateTimeInterface ? CabinetFormat::dateTime($asOf, $lang) : '',
            'STALE' => $stale,
            'BLOCKED' => (int)($row['UF_ORDER_BLOCKED'] ?? 0) === 1,
            'BLOCK_REASON' => (string)($row['UF_BLOCK_REASON'] ?? ''),
        ];
    }
}
