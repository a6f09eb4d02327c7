<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * What the module's article index (table b2bsync_cabinet_article: COMPANY_ID, ARTICLE, ORDER_ID,
 * all three the primary key) holds for one order: one row per distinct article of its basket —
 * each line's product XML_ID and the values of its article properties — when the order belongs
 * to a company (B2B_COMPANY_ID). Kept by the module's handler of sale:OnSaleOrderSaved (and
 * filled for older orders by an agent), it lets the cabinet find a company's orders with an
 * article by one index range, however many orders hold it: without it a popular article costs a
 * lookup per basket line of the whole store (bench/cabinet_search.php measures both).
 *
 * Articles are trimmed and kept up to MAX_LENGTH characters; the database compares them as its
 * collation does (case-insensitively on a default install), so "art-1" and "ART-1" are one row.
 */
final class ArticleIndex
{
    public const TABLE = 'b2bsync_cabinet_article';
    public const MAX_LENGTH = 100;
    /** Module option: "ready" once every older order is indexed (until then the cabinet joins the sale tables). */
    public const OPTION_STATE = 'article_index';
    public const READY = 'ready';
    /** Module option: basket property codes holding an article, comma-separated. */
    public const OPTION_PROPERTIES = 'article_properties';
    public const DEFAULT_PROPERTIES = ['CML2_ARTICLE', 'ARTICLE', 'ARTNUMBER'];

    /**
     * The articles of a basket.
     * @param list<array{PRODUCT_XML_ID?: ?string, PROPS?: array<string, ?string>}> $lines
     * @param list<string> $codes article property codes
     * @return list<string> distinct (case-insensitively), in basket order
     */
    public static function articles(array $lines, array $codes): array
    {
        $out = [];
        foreach ($lines as $line) {
            $values = [];
            foreach ($codes as $code) {
                $values[] = $line['PROPS'][$code] ?? null;
            }
            $values[] = $line['PRODUCT_XML_ID'] ?? null;
            foreach ($values as $value) {
                $article = trim((string)$value);
                if ($article === '' || mb_strlen($article) > self::MAX_LENGTH) {
                    continue;
                }
                $out[mb_strtolower($article)] ??= $article;
            }
        }
        return array_values($out);
    }

    /**
     * The index rows of an order: none without a company.
     * @param list<array{PRODUCT_XML_ID?: ?string, PROPS?: array<string, ?string>}> $lines
     * @param list<string> $codes
     * @return list<array{COMPANY_ID: int, ARTICLE: string, ORDER_ID: int}>
     */
    public static function rows(int $orderId, ?int $companyId, array $lines, array $codes): array
    {
        if ($companyId === null || $companyId <= 0) {
            return [];
        }
        return array_map(
            static fn (string $article): array => ['COMPANY_ID' => $companyId, 'ARTICLE' => $article, 'ORDER_ID' => $orderId],
            self::articles($lines, $codes),
        );
    }

    /**
     * The article property codes of the module option (comma-separated), else the defaults.
     * @return list<string>
     */
    public static function codes(?string $option): array
    {
        $codes = [];
        foreach (explode(',', (string)$option) as $code) {
            $code = strtoupper(trim($code));
            if (preg_match('/\A[A-Z0-9_]{1,50}\z/', $code) === 1) {
                $codes[] = $code;
            }
        }
        return $codes === [] ? self::DEFAULT_PROPERTIES : array_values(array_unique($codes));
    }
}
