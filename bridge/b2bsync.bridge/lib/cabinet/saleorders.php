<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\ArticleIndex;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\OrderPort;
use B2bsync\Bridge\Core\OrderQuery;
use B2bsync\Bridge\ModuleOptions;
use Bitrix\Main\Config\Option;
use Bitrix\Main\ORM\Fields\ExpressionField;
use Bitrix\Main\ORM\Fields\Relations\Reference;
use Bitrix\Main\ORM\Query\Join;
use Bitrix\Main\ORM\Query\Query;
use Bitrix\Main\Type\DateTime;
use Bitrix\Sale\Internals\BasketPropertyTable;
use Bitrix\Sale\Internals\BasketTable;
use Bitrix\Sale\Internals\OrderPropsValueTable;
use Bitrix\Sale\Internals\OrderTable;
use Bitrix\Sale\Internals\StatusLangTable;
use Bitrix\Sale\Internals\StatusTable;
use Bitrix\Sale\Order;

/**
 * The sale module for the cabinet, through its D7 tables (sale/lib/internals: OrderTable,
 * BasketTable, BasketPropertyTable, OrderPropsValueTable, StatusTable, StatusLangTable) and, for
 * the one write, the order object (Order::load()->setField('STATUS_ID')->save(), which fires
 * OnSaleStatusOrderChange: the module's status log records the acting user).
 *
 * A company's orders are those whose property B2B_COMPANY_ID holds the company's ID (joined as
 * a runtime reference on ORDER_ID + CODE). The article search reads the module's article index
 * (ArticleIndexTable, kept by ArticleIndexer) once the module option article_index is "ready";
 * until the agent has indexed the older orders it runs in two steps over the sale tables: the
 * IDs of the company's orders with a basket line whose PRODUCT_XML_ID, or one of whose article
 * properties, equals the article, then the page among those IDs (bench/cabinet_search.php
 * measures both on 100,000 orders of one company). Pages are read newest first along the property's index; the total is counted from the
 * property rows alone unless the order's own columns are filtered. The installer's indexes
 * (b2bsync_bridge::InstallCabinetIndexes) make the property lookups indexed:
 * b_sale_order_props_value (CODE, VALUE, ORDER_ID) and b_sale_basket_props (VALUE).
 */
final class SaleOrders implements OrderPort
{
    public const COMPANY_CODE = 'B2B_COMPANY_ID';

    public function __construct(private readonly \DateTimeZone $tz)
    {
    }

    /** The company link as a runtime INNER JOIN of the order property value. */
    private static function company(Query $query, string $thisId = 'this.ID'): void
    {
        $query->registerRuntimeField(new Reference(
            'B2B_COMPANY',
            OrderPropsValueTable::class,
            Join::on($thisId, 'ref.ORDER_ID')->where('ref.CODE', self::COMPANY_CODE),
            ['join_type' => 'INNER'],
        ));
    }

    public function companyOrders(int $companyId, OrderQuery $query, int $limit, int $offset): array
    {
        if ($query->article !== null && Option::get(ModuleOptions::MODULE_ID, ArticleIndex::OPTION_STATE, '') === ArticleIndex::READY) {
            return $this->byArticleIndex($companyId, $query, $limit, $offset);
        }
        $ids = null;
        if ($query->article !== null) {
            $ids = $this->ordersWithArticle($companyId, $query->article, $query->articleCodes);
            if ($ids === []) {
                return ['rows' => [], 'total' => 0];
            }
        }
        [$q, $filtered] = self::base($companyId, $ids, $query);
        $q->setSelect(['ID', 'ACCOUNT_NUMBER', 'DATE_INSERT', 'STATUS_ID', 'PRICE', 'CURRENCY', 'USER_ID', 'RESPONSIBLE_ID', 'CANCELED']);
        // newest first by the property's ORDER_ID: the join is read along the (CODE, VALUE, ORDER_ID)
        // index backwards, 20 rows, instead of sorting the company's orders
        $q->setOrder(['B2B_COMPANY.ORDER_ID' => 'DESC'])->setLimit($limit)->setOffset($offset);
        $rows = [];
        $result = $q->exec();
        while ($row = $result->fetch()) {
            $rows[] = $this->orderRow($row, $companyId);
        }
        return ['rows' => $rows, 'total' => $filtered ? $this->countJoined($companyId, $ids, $query) : $this->countLinks($companyId, $ids)];
    }

    /**
     * The company's orders (among $ids) with the query's filters; whether any filter is on the
     * order's own columns.
     * @param list<int>|null $ids
     * @return array{0: Query, 1: bool}
     */
    private static function base(int $companyId, ?array $ids, OrderQuery $query): array
    {
        $q = OrderTable::query();
        self::company($q);
        $q->where('B2B_COMPANY.VALUE', (string)$companyId);
        if ($ids !== null) {
            $q->whereIn('ID', $ids);
        }
        return [$q, self::orderFilters($q, $query)];
    }

    /**
     * The search through the module's article index: one range of its primary key, newest order
     * first, counted from the index alone unless the order's own columns are filtered.
     * @return array{rows: list<array<string, mixed>>, total: int}
     */
    private function byArticleIndex(int $companyId, OrderQuery $query, int $limit, int $offset): array
    {
        $build = static function () use ($companyId, $query): array {
            $q = OrderTable::query();
            $q->registerRuntimeField(new Reference(
                'B2B_ARTICLE',
                ArticleIndexTable::class,
                Join::on('this.ID', 'ref.ORDER_ID'),
                ['join_type' => 'INNER'],
            ));
            $q->where('B2B_ARTICLE.COMPANY_ID', $companyId)->where('B2B_ARTICLE.ARTICLE', (string)$query->article);
            return [$q, self::orderFilters($q, $query)];
        };
        [$q, $filtered] = $build();
        $q->setSelect(['ID', 'ACCOUNT_NUMBER', 'DATE_INSERT', 'STATUS_ID', 'PRICE', 'CURRENCY', 'USER_ID', 'RESPONSIBLE_ID', 'CANCELED'])
            ->setOrder(['B2B_ARTICLE.ORDER_ID' => 'DESC'])->setLimit($limit)->setOffset($offset);
        $rows = [];
        $result = $q->exec();
        while ($row = $result->fetch()) {
            $rows[] = $this->orderRow($row, $companyId);
        }
        if ($filtered) {
            [$count] = $build();
            $count->registerRuntimeField(new ExpressionField('CNT', 'COUNT(1)'));
            $total = (int)($count->setSelect(['CNT'])->fetch()['CNT'] ?? 0);
        } else {
            $total = (int)ArticleIndexTable::getCount(['=COMPANY_ID' => $companyId, '=ARTICLE' => (string)$query->article]);
        }
        return ['rows' => $rows, 'total' => $total];
    }

    /** The filters on the order's own columns; whether there were any. */
    private static function orderFilters(Query $q, OrderQuery $query): bool
    {
        if ($query->statuses !== []) {
            $q->whereIn('STATUS_ID', $query->statuses);
        }
        if ($query->from !== null) {
            $q->where('DATE_INSERT', '>=', DateTime::createFromPhp(\DateTime::createFromImmutable($query->from)));
        }
        if ($query->to !== null) {
            $q->where('DATE_INSERT', '<', DateTime::createFromPhp(\DateTime::createFromImmutable($query->to)));
        }
        if ($query->managerId !== null) {
            $q->where('RESPONSIBLE_ID', $query->managerId);
        }
        if ($query->authorId !== null) {
            $q->where('USER_ID', $query->authorId);
        }
        if ($query->number !== null) {
            $q->whereLike('ACCOUNT_NUMBER', addcslashes($query->number, '\\%_') . '%');
        }
        return $query->statuses !== [] || $query->from !== null || $query->to !== null
            || $query->managerId !== null || $query->authorId !== null || $query->number !== null;
    }

    /**
     * COUNT(1) of the filtered orders (the join with the orders is needed for their columns).
     * @param list<int>|null $ids
     */
    private function countJoined(int $companyId, ?array $ids, OrderQuery $query): int
    {
        [$count] = self::base($companyId, $ids, $query);
        $count->registerRuntimeField(new ExpressionField('CNT', 'COUNT(1)'));
        $count->setSelect(['CNT']);
        return (int)($count->fetch()['CNT'] ?? 0);
    }

    /**
     * How many orders the company has (among $ids): the property rows alone, an index-only count —
     * the sale module deletes an order's property values with the order.
     * @param list<int>|null $ids
     */
    private function countLinks(int $companyId, ?array $ids): int
    {
        $filter = ['=CODE' => self::COMPANY_CODE, '=VALUE' => (string)$companyId];
        if ($ids !== null) {
            $filter['@ORDER_ID'] = $ids;
        }
        return (int)OrderPropsValueTable::getCount($filter);
    }

    /**
     * IDs of the company's orders with a line of that article (product XML_ID or an article
     * property), each lookup by an index.
     * @param list<string> $codes
     * @return list<int>
     */
    private function ordersWithArticle(int $companyId, string $article, array $codes): array
    {
        $ids = [];
        $byXmlId = BasketTable::query()->setSelect(['ORDER_ID'])->setDistinct();
        self::company($byXmlId, 'this.ORDER_ID');
        $byXmlId->where('B2B_COMPANY.VALUE', (string)$companyId)->where('PRODUCT_XML_ID', $article);
        foreach ($byXmlId->fetchAll() as $row) {
            $ids[(int)$row['ORDER_ID']] = true;
        }
        if ($codes !== []) {
            $byProperty = BasketTable::query()->setSelect(['ORDER_ID'])->setDistinct();
            $byProperty->registerRuntimeField(new Reference(
                'ARTICLE_PROPERTY',
                BasketPropertyTable::class,
                Join::on('this.ID', 'ref.BASKET_ID'),
                ['join_type' => 'INNER'],
            ));
            self::company($byProperty, 'this.ORDER_ID');
            $byProperty->where('B2B_COMPANY.VALUE', (string)$companyId)
                ->where('ARTICLE_PROPERTY.VALUE', $article)
                ->whereIn('ARTICLE_PROPERTY.CODE', $codes);
            foreach ($byProperty->fetchAll() as $row) {
                $ids[(int)$row['ORDER_ID']] = true;
            }
        }
        return array_keys($ids);
    }

    /**
     * @param array<string, mixed> $row
     * @return array<string, mixed>
     */
    private function orderRow(array $row, ?int $companyId): array
    {
        return [
            'ID' => (int)$row['ID'],
            'ACCOUNT_NUMBER' => (string)($row['ACCOUNT_NUMBER'] ?: $row['ID']),
            'DATE_INSERT' => $this->moment($row['DATE_INSERT']),
            'STATUS_ID' => (string)$row['STATUS_ID'],
            'PRICE' => (float)$row['PRICE'],
            'CURRENCY' => (string)$row['CURRENCY'],
            'USER_ID' => (int)$row['USER_ID'],
            'RESPONSIBLE_ID' => (int)$row['RESPONSIBLE_ID'] > 0 ? (int)$row['RESPONSIBLE_ID'] : null,
            'CANCELED' => ($row['CANCELED'] ?? 'N') === 'Y' || $row['CANCELED'] === true,
            'COMPANY_ID' => $companyId,
        ];
    }

    private function moment(mixed $value): \DateTimeImmutable
    {
        $timestamp = $value instanceof DateTime ? $value->getTimestamp() : (int)strtotime((string)$value);
        return (new \DateTimeImmutable('@' . $timestamp))->setTimezone($this->tz);
    }

    public function order(int $orderId, array $articleCodes = []): ?array
    {
        $row = OrderTable::getList([
            'select' => ['ID', 'ACCOUNT_NUMBER', 'DATE_INSERT', 'STATUS_ID', 'PRICE', 'CURRENCY', 'USER_ID', 'RESPONSIBLE_ID', 'CANCELED'],
            'filter' => ['=ID' => $orderId],
        ])->fetch();
        if (!$row) {
            return null;
        }
        $company = OrderPropsValueTable::getList([
            'select' => ['VALUE'],
            'filter' => ['=ORDER_ID' => $orderId, '=CODE' => self::COMPANY_CODE],
            'limit' => 1,
        ])->fetch();
        $companyId = $company && ctype_digit((string)$company['VALUE']) ? (int)$company['VALUE'] : null;
        $lines = BasketTable::getList([
            'select' => ['ID', 'NAME', 'PRODUCT_XML_ID', 'QUANTITY', 'PRICE', 'MEASURE_NAME'],
            'filter' => ['=ORDER_ID' => $orderId],
            'order' => ['SORT' => 'ASC', 'ID' => 'ASC'],
        ])->fetchAll();
        $articles = [];
        if ($lines !== [] && $articleCodes !== []) {
            $props = BasketPropertyTable::getList([
                'select' => ['BASKET_ID', 'CODE', 'VALUE'],
                'filter' => ['@BASKET_ID' => array_column($lines, 'ID'), '@CODE' => $articleCodes],
            ]);
            while ($prop = $props->fetch()) {
                $articles[(int)$prop['BASKET_ID']][(string)$prop['CODE']] = (string)$prop['VALUE'];
            }
        }
        $basket = [];
        foreach ($lines as $line) {
            $article = null;
            foreach ($articleCodes as $code) {
                if (($articles[(int)$line['ID']][$code] ?? '') !== '') {
                    $article = $articles[(int)$line['ID']][$code];
                    break;
                }
            }
            $basket[] = [
                'NAME' => (string)$line['NAME'],
                'ARTICLE' => $article ?? ((string)$line['PRODUCT_XML_ID'] !== '' ? (string)$line['PRODUCT_XML_ID'] : null),
                'QUANTITY' => (float)$line['QUANTITY'],
                'PRICE' => (float)$line['PRICE'],
                'MEASURE' => (string)$line['MEASURE_NAME'],
            ];
        }
        return $this->orderRow($row, $companyId) + ['BASKET' => $basket];
    }

    public function statuses(string $lang): array
    {
        $names = [];
        $langs = StatusLangTable::getList(['select' => ['STATUS_ID', 'NAME'], 'filter' => ['=LID' => $lang]]);
        while ($row = $langs->fetch()) {
            $names[(string)$row['STATUS_ID']] = (string)$row['NAME'];
        }
        $out = [];
        $statuses = StatusTable::getList(['select' => ['ID', 'XML_ID', 'SORT'], 'filter' => ['=TYPE' => 'O'], 'order' => ['SORT' => 'ASC', 'ID' => 'ASC']]);
        while ($row = $statuses->fetch()) {
            $id = (string)$row['ID'];
            $out[$id] = ['NAME' => $names[$id] ?? $id, 'XML_ID' => (string)$row['XML_ID'], 'SORT' => (int)$row['SORT']];
        }
        return $out;
    }

    public function changeStatus(int $orderId, string $statusId, int $userId): void
    {
        $order = Order::load($orderId);
        if ($order === null) {
            throw new CabinetDenied(CabinetDenied::NOT_FOUND, "order $orderId");
        }
        $set = $order->setField('STATUS_ID', $statusId);
        $saved = $set->isSuccess() ? $order->save() : $set;
        if (!$saved->isSuccess()) {
            throw new CabinetDenied(CabinetDenied::CONFLICT, implode('; ', $saved->getErrorMessages()));
        }
    }
}
