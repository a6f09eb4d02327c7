<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\ArticleIndex;
use B2bsync\Bridge\ModuleOptions;
use Bitrix\Main\Application;
use Bitrix\Main\Config\Option;
use Bitrix\Main\Event;
use Bitrix\Main\EventResult;
use Bitrix\Main\Loader;
use Bitrix\Sale\Internals\BasketPropertyTable;
use Bitrix\Sale\Internals\BasketTable;
use Bitrix\Sale\Internals\OrderPropsValueTable;
use Bitrix\Sale\Internals\OrderTable;

/**
 * Keeps the article index (ArticleIndex) in step with the sale module: the installer registers
 * onSaleOrderSaved / onSaleOrderDeleted (sale's D7 events, ENTITY = the order; an order is saved
 * whenever its basket, its properties — B2B_COMPANY_ID included, as b2bsync's
 * sale.propertyvalue.modify writes it — or its status change) and adds fillAgent, which indexes
 * the orders that existed before, 500 per run by ID, then marks the index ready. Each order's
 * rows are replaced in one transaction. A failure is logged and never disturbs the order's save.
 */
final class ArticleIndexer
{
    private const BATCH = 500;

    public static function onSaleOrderSaved(Event $event): EventResult
    {
        try {
            $order = $event->getParameter('ENTITY');
            if (is_object($order) && method_exists($order, 'getId') && (int)$order->getId() > 0) {
                self::reindex([(int)$order->getId()]);
            }
        } catch (\Throwable $e) {
            Application::getInstance()->getExceptionHandler()->writeToLog($e);
        }
        return new EventResult(EventResult::SUCCESS, null, ModuleOptions::MODULE_ID);
    }

    public static function onSaleOrderDeleted(Event $event): EventResult
    {
        try {
            $order = $event->getParameter('ENTITY');
            if (is_object($order) && method_exists($order, 'getId')) {
                self::replace([(int)$order->getId()], []);
            }
        } catch (\Throwable $e) {
            Application::getInstance()->getExceptionHandler()->writeToLog($e);
        }
        return new EventResult(EventResult::SUCCESS, null, ModuleOptions::MODULE_ID);
    }

    /** Index the next orders after $afterId; the agent call for the rest, or "" once done. */
    public static function fillAgent(int $afterId = 0): string
    {
        if (!Loader::includeModule('sale')) {
            return '';
        }
        $ids = array_map('intval', array_column(OrderTable::getList([
            'select' => ['ID'],
            'filter' => ['>ID' => $afterId],
            'order' => ['ID' => 'ASC'],
            'limit' => self::BATCH,
        ])->fetchAll(), 'ID'));
        if ($ids === []) {
            Option::set(ModuleOptions::MODULE_ID, ArticleIndex::OPTION_STATE, ArticleIndex::READY);
            return '';
        }
        self::reindex($ids);
        return '\\' . self::class . '::fillAgent(' . max($ids) . ');';
    }

    /** @param list<int> $orderIds */
    public static function reindex(array $orderIds): void
    {
        $codes = ArticleIndex::codes(Option::get(ModuleOptions::MODULE_ID, ArticleIndex::OPTION_PROPERTIES, ''));
        $companies = [];
        $values = OrderPropsValueTable::getList([
            'select' => ['ORDER_ID', 'VALUE'],
            'filter' => ['@ORDER_ID' => $orderIds, '=CODE' => SaleOrders::COMPANY_CODE],
        ]);
        while ($row = $values->fetch()) {
            if (ctype_digit((string)$row['VALUE'])) {
                $companies[(int)$row['ORDER_ID']] = (int)$row['VALUE'];
            }
        }
        $lines = [];
        $byBasket = [];
        $baskets = BasketTable::getList([
            'select' => ['ID', 'ORDER_ID', 'PRODUCT_XML_ID'],
            'filter' => ['@ORDER_ID' => array_keys($companies) ?: [0]],
        ]);
        while ($row = $baskets->fetch()) {
            $byBasket[(int)$row['ID']] = (int)$row['ORDER_ID'];
            $lines[(int)$row['ORDER_ID']][(int)$row['ID']] = ['PRODUCT_XML_ID' => $row['PRODUCT_XML_ID'], 'PROPS' => []];
        }
        if ($byBasket !== []) {
            $props = BasketPropertyTable::getList([
                'select' => ['BASKET_ID', 'CODE', 'VALUE'],
                'filter' => ['@BASKET_ID' => array_keys($byBasket), '@CODE' => $codes],
            ]);
            while ($row = $props->fetch()) {
                $orderId = $byBasket[(int)$row['BASKET_ID']];
                $lines[$orderId][(int)$row['BASKET_ID']]['PROPS'][(string)$row['CODE']] = (string)$row['VALUE'];
            }
        }
        $rows = [];
        foreach ($orderIds as $orderId) {
            $rows = [...$rows, ...ArticleIndex::rows($orderId, $companies[$orderId] ?? null, array_values($lines[$orderId] ?? []), $codes)];
        }
        self::replace($orderIds, $rows);
    }

    /**
     * @param list<int> $orderIds
     * @param list<array{COMPANY_ID: int, ARTICLE: string, ORDER_ID: int}> $rows
     */
    private static function replace(array $orderIds, array $rows): void
    {
        $connection = Application::getConnection();
        $helper = $connection->getSqlHelper();
        $table = ArticleIndex::TABLE;
        $connection->startTransaction();
        try {
            $connection->queryExecute("DELETE FROM $table WHERE ORDER_ID IN (" . implode(',', array_map('intval', $orderIds)) . ')');
            foreach (array_chunk($rows, 500) as $chunk) {
                $tuples = array_map(static fn (array $r): string => sprintf("(%d, '%s', %d)", $r['COMPANY_ID'], $helper->forSql($r['ARTICLE']), $r['ORDER_ID']), $chunk);
                // INSERT IGNORE: two articles differing only in case are one row under the collation
                $connection->queryExecute("INSERT IGNORE INTO $table (COMPANY_ID, ARTICLE, ORDER_ID) VALUES " . implode(',', $tuples));
            }
            $connection->commitTransaction();
        } catch (\Throwable $e) {
            $connection->rollbackTransaction();
            throw $e;
        }
    }
}
