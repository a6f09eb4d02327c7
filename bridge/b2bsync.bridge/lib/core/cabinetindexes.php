<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The two indexes the installer adds to the sale module's tables so the cabinet's order queries
 * stay indexed on a store with hundreds of thousands of orders (bench/cabinet_search.php measures
 * them; its notes explain each plan):
 *
 * - b_sale_order_props_value (CODE, VALUE, ORDER_ID): a company's orders by the property
 *   B2B_COMPANY_ID, newest first along the index, and their count from the index alone — Bitrix
 *   only indexes (ORDER_ID, ORDER_PROPS_ID), so without it listing one company's orders reads
 *   every property value of the store. A server that cannot hold the whole VALUE in an index key
 *   (an old COMPACT row format: 767 bytes) gets the "fallback" columns, a 40-character prefix;
 * - b_sale_basket_props (VALUE(64), CODE): basket lines by an article property (CML2_ARTICLE…) —
 *   Bitrix only indexes CODE, which every line carrying an article shares.
 *
 * The product's XML_ID is already indexed by Bitrix (IXS_SBAS_XML_ID). The names start with
 * ix_b2bsync_ so an uninstall drops exactly these.
 */
final class CabinetIndexes
{
    /** @var list<array{table: string, name: string, columns: string, fallback: string}> */
    public const INDEXES = [
        ['table' => 'b_sale_order_props_value', 'name' => 'ix_b2bsync_sopv_code_value', 'columns' => 'CODE, VALUE, ORDER_ID', 'fallback' => 'CODE, VALUE(40), ORDER_ID'],
        ['table' => 'b_sale_basket_props', 'name' => 'ix_b2bsync_basket_props_value', 'columns' => 'VALUE(64), CODE', 'fallback' => 'VALUE(64), CODE'],
    ];

    /** @param array{table: string, name: string, columns: string, fallback: string} $index */
    public static function createSql(array $index, bool $fallback = false): string
    {
        $columns = $fallback ? $index['fallback'] : $index['columns'];
        return "CREATE INDEX {$index['name']} ON {$index['table']} ($columns)";
    }

    /** @param array{table: string, name: string, columns: string, fallback: string} $index */
    public static function dropSql(array $index): string
    {
        return "DROP INDEX {$index['name']} ON {$index['table']}";
    }
}
