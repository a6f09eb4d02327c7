<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The company's orders (every member's, not only the user's): filters, search by number and by
 * article, 20 a page, each row with status, total, author and approval state.
 *
 * The approval state is "pending" while the order is in the status whose XML_ID is
 * APPROVAL_PENDING; afterwards the last approve/reject of the status log (b2b_order_events:
 * the new status's XML_ID APPROVED or REJECTED) — read for the page's orders in one query.
 */
final class OrderList
{
    public const PAGE_SIZE = 20;
    public const PENDING = 'APPROVAL_PENDING';
    public const APPROVED = 'APPROVED';
    public const REJECTED = 'REJECTED';
    public const DEFAULT_ARTICLE_PROPERTIES = ['CML2_ARTICLE', 'ARTICLE', 'ARTNUMBER'];

    public function __construct(private readonly Cabinet $cabinet)
    {
    }

    /**
     * @param array<string, mixed> $get the query string
     * @param list<string> $articleCodes basket properties that hold an article
     * @param callable(int): string $orderUrl
     * @return array<string, mixed>
     */
    public function build(Membership $m, array $get, string $lang, string $baseUrl, callable $orderUrl, array $articleCodes = self::DEFAULT_ARTICLE_PROPERTIES): array
    {
        $this->cabinet->scope()->require($m, CabinetAccess::ORDERS_VIEW);
        $errors = [];
        $query = OrderQuery::fromRequest($get, $this->cabinet->timezone(), $articleCodes, $errors);
        $page = Cabinet::pageNumber($get['page'] ?? null);
        // a filter that cannot be read shows its error and no orders, never every order
        $found = $errors !== [] ? ['rows' => [], 'total' => 0]
            : $this->cabinet->orders()->companyOrders($m->companyId, $query, self::PAGE_SIZE, ($page - 1) * self::PAGE_SIZE);
        $statuses = $this->cabinet->orders()->statuses($lang);
        $orders = $found['rows'];
        $names = $this->cabinet->names([...array_column($orders, 'USER_ID'), ...array_column($orders, 'RESPONSIBLE_ID'), $m->managerId, $query->managerId]);
        $decisions = self::decisions($this->cabinet->rows(), $statuses, array_column($orders, 'ID'));
        $rows = [];
        foreach ($orders as $order) {
            $status = $statuses[$order['STATUS_ID']] ?? null;
            $rows[] = [
                'ID' => $order['ID'],
                'NUMBER' => (string)$order['ACCOUNT_NUMBER'],
                'URL' => $orderUrl($order['ID']),
                'DATE' => CabinetFormat::date($order['DATE_INSERT'], $lang),
                'STATUS_ID' => $order['STATUS_ID'],
                'STATUS' => $status['NAME'] ?? $order['STATUS_ID'],
                'TOTAL' => CabinetFormat::money($order['PRICE'], $order['CURRENCY'], $lang),
                'AUTHOR' => $names[$order['USER_ID']] ?? '',
                'MANAGER' => $order['RESPONSIBLE_ID'] === null ? '' : ($names[$order['RESPONSIBLE_ID']] ?? ''),
                'CANCELED' => $order['CANCELED'],
                'APPROVAL' => self::approval($status['XML_ID'] ?? '', $decisions[$order['ID']] ?? null),
            ];
        }
        return [
            'ORDERS' => $rows,
            'FILTER' => $query->toQuery() + ['status' => []],
            'ERRORS' => $errors,
            'SEARCHED' => !$query->isEmpty(),
            'STATUSES' => array_map(static fn (string $id, array $s): array => ['ID' => $id, 'NAME' => $s['NAME']], array_keys($statuses), $statuses),
            'AUTHORS' => $this->authors($m),
            'MANAGERS' => self::options($names, array_filter([$m->managerId, $query->managerId, ...array_column($orders, 'RESPONSIBLE_ID')])),
            'PAGING' => Cabinet::paging($baseUrl, $query->toQuery(), $page, $found['total'], self::PAGE_SIZE),
        ];
    }

    /** @return list<array{ID: int, NAME: string}> the company's employees, for "placed by" */
    private function authors(Membership $m): array
    {
        $members = $this->cabinet->rows()->all(CabinetRows::MEMBERS, ['=UF_COMPANY_ID' => $m->companyId]);
        $ids = array_map(static fn (array $r): int => (int)$r['UF_USER_ID'], $members);
        return self::options($this->cabinet->names($ids), $ids);
    }

    /**
     * @param array<int, string> $names
     * @param array<int|null> $ids
     * @return list<array{ID: int, NAME: string}>
     */
    private static function options(array $names, array $ids): array
    {
        $out = [];
        foreach (array_unique(array_filter(array_map('intval', $ids))) as $id) {
            $out[] = ['ID' => $id, 'NAME' => $names[$id] ?? ('#' . $id)];
        }
        usort($out, static fn (array $a, array $b): int => strcmp(mb_strtolower($a['NAME']), mb_strtolower($b['NAME'])));
        return $out;
    }

    /**
     * The last approve/reject of each order, from the status log.
     * @param array<string, array{NAME: string, XML_ID: string, SORT: int}> $statuses
     * @param list<int> $orderIds
     * @return array<int, string> order ID => APPROVED|REJECTED
     */
    public static function decisions(CabinetRows $rows, array $statuses, array $orderIds): array
    {
        $decisive = [];
        foreach ($statuses as $id => $status) {
            if (in_array($status['XML_ID'], [self::APPROVED, self::REJECTED], true)) {
                $decisive[(string)$id] = $status['XML_ID'];
            }
        }
        if ($orderIds === [] || $decisive === [] || !$rows->has(CabinetRows::ORDER_EVENTS)) {
            return [];
        }
        $out = [];
        $events = $rows->all(CabinetRows::ORDER_EVENTS, ['@UF_ORDER_ID' => $orderIds, '@UF_NEW_STATUS' => array_map('strval', array_keys($decisive))], ['ID' => 'ASC'], 1000);
        foreach ($events as $event) {
            $out[(int)$event['UF_ORDER_ID']] = $decisive[(string)$event['UF_NEW_STATUS']];
        }
        return $out;
    }

    /** pending | approved | rejected | null (the order never needed approval) */
    public static function approval(string $statusXmlId, ?string $decision): ?string
    {
        if ($statusXmlId === self::PENDING) {
            return 'pending';
        }
        return match ($decision) {
            self::APPROVED => 'approved',
            self::REJECTED => 'rejected',
            default => null,
        };
    }
}
