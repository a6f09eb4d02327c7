<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Cabinet;

use B2bsync\Bridge\Core\ArticleIndex;
use PHPUnit\Framework\TestCase;

/** The rows the module's article index holds for an order. */
final class ArticleIndexTest extends TestCase
{
    public function testOneRowPerDistinctArticleOfACompanysOrder(): void
    {
        $lines = [
            ['PRODUCT_XML_ID' => 'c3f1-77', 'PROPS' => ['CML2_ARTICLE' => ' ART-7731 ']],
            ['PRODUCT_XML_ID' => 'c3f1-78', 'PROPS' => ['CML2_ARTICLE' => 'art-7731', 'ARTNUMBER' => 'X-1']],
            ['PRODUCT_XML_ID' => '', 'PROPS' => ['COLOR' => 'red', 'ARTICLE' => '']],
            ['PRODUCT_XML_ID' => null, 'PROPS' => ['CML2_ARTICLE' => str_repeat('A', 101)]],
        ];
        self::assertSame(['ART-7731', 'c3f1-77', 'X-1', 'c3f1-78'], ArticleIndex::articles($lines, ArticleIndex::DEFAULT_PROPERTIES));
        self::assertSame(
            [['COMPANY_ID' => 5, 'ARTICLE' => 'ART-7731', 'ORDER_ID' => 9], ['COMPANY_ID' => 5, 'ARTICLE' => 'c3f1-77', 'ORDER_ID' => 9]],
            array_slice(ArticleIndex::rows(9, 5, $lines, ArticleIndex::DEFAULT_PROPERTIES), 0, 2),
        );
        self::assertSame([], ArticleIndex::rows(9, null, $lines, ArticleIndex::DEFAULT_PROPERTIES), 'an order of no company');
        self::assertSame(['c3f1-77', 'c3f1-78'], ArticleIndex::articles($lines, []), 'without article properties the XML_ID still counts');
    }

    public function testTheOptionNamesTheArticleProperties(): void
    {
        self::assertSame(['CML2_ARTICLE', 'ARTICLE', 'ARTNUMBER'], ArticleIndex::codes(null));
        self::assertSame(['VENDOR_CODE', 'SKU'], ArticleIndex::codes(' vendor_code, SKU ,sku,bad code'));
        self::assertSame(ArticleIndex::DEFAULT_PROPERTIES, ArticleIndex::codes(',,'));
    }
}
