<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Orders of the sale module as the cabinet reads and changes them (\B2bsync\Bridge\Cabinet\SaleOrders
 * with D7: OrderTable, BasketTable, BasketPropertyTable, OrderPropsValueTable, StatusLangTable,
 * Order::load()->save(); in memory in the tests).
 *
 * An order row: ID (int), ACCOUNT_NUMBER (string), DATE_INSERT (\DateTimeImmutable), STATUS_ID,
 * PRICE (float), CURRENCY, USER_ID (the buyer who placed it), RESPONSIBLE_ID (the manager, ?int),
 * CANCELED (bool), COMPANY_ID (the B2B_COMPANY_ID property, ?int).
 * A basket line: NAME, ARTICLE (?string: the product's XML_ID or an article property), QUANTITY,
 * PRICE (float, per unit), MEASURE (string).
 */
interface OrderPort
{
    /**
     * The company's orders that match $query, newest first (ID descending), $limit of them from
     * $offset, and how many match in all. The company link is the order property B2B_COMPANY_ID.
     * @return array{rows: list<array<string, mixed>>, total: int}
     */
    public function companyOrders(int $companyId, OrderQuery $query, int $limit, int $offset): array;

    /**
     * One order with its BASKET (list of lines); null when there is none. A line's ARTICLE is the
     * value of the first of $articleCodes among its basket properties, else the product's XML_ID.
     * @param list<string> $articleCodes
     * @return array<string, mixed>|null
     */
    public function order(int $orderId, array $articleCodes = []): ?array;

    /**
     * The order statuses (type O): status ID => [NAME (in $lang, else the ID), XML_ID, SORT].
     * @return array<string, array{NAME: string, XML_ID: string, SORT: int}>
     */
    public function statuses(string $lang): array;

    /**
     * Change the order's status as $userId through the sale module (its status event writes the
     * b2b_order_events row). Throws CabinetDenied(conflict) when the sale module refuses the save.
     */
    public function changeStatus(int $orderId, string $statusId, int $userId): void;
}
