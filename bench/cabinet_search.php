<?php

declare(strict_types=1);

/*
 * The cabinet's order search by article on MariaDB, over tables shaped like the sale module's
 * (b_sale_order, b_sale_basket, b_sale_basket_props, b_sale_order_props_value: the columns the
 * queries touch, the other columns' weight, and Bitrix's own indexes by name) plus the two indexes
 * the module's installer adds (B2bsync\Bridge\Core\CabinetIndexes, the same SQL).
 *
 * Seeded once (and reused while the row counts match): one company with N orders and as many
 * orders again spread over nine other companies; 2–6 basket lines an order, each with the
 * article property CML2_ARTICLE; six property values an order, B2B_COMPANY_ID among them.
 * Articles follow a skewed popularity (a few are in thousands of orders, most in a handful).
 *
 * Measured: the statements B2bsync\Bridge\Cabinet\SaleOrders issues for one search page, for rare
 * and for popular articles — through the module's article index (b2bsync_cabinet_article, filled
 * here with what ArticleIndexer writes): the page of 20 newest first and the count, each one
 * range of the index; and, as while the index is still being filled, over the sale tables:
 * (1) the company's order IDs whose basket has the article as product XML_ID, (2) as an article
 * property, (3) the page among them, (4) their count. Also the company's first page unfiltered
 * (page + count of the property rows) and filtered by status (page + the joined count). Floor: the same page read by primary key
 * (20 IDs), in the same run. The plans are printed (EXPLAIN).
 *
 *   php bench/cabinet_search.php --quick             # 20,000 orders of the company
 *   php bench/cabinet_search.php                     # 100,000 orders of the company
 *   php bench/cabinet_search.php --without-indexes   # the same without the module's indexes
 *
 * Needs php-mysql and MariaDB/MySQL on 127.0.0.1:3306 (root, no password; --dsn to change).
 * Tables go into the database b2bsync_cabinet_bench (created). The last line: key=value figures.
 */

require dirname(__DIR__) . '/bridge/b2bsync.bridge/lib/core/cabinetindexes.php';
require dirname(__DIR__) . '/bridge/b2bsync.bridge/lib/core/articleindex.php';

use B2bsync\Bridge\Core\ArticleIndex;
use B2bsync\Bridge\Core\CabinetIndexes;

const COMPANY = 1;
const OTHER_COMPANIES = 9;
const PRODUCTS = 20000;
const CODE = 'B2B_COMPANY_ID';
const ARTICLE_CODES = ['CML2_ARTICLE', 'ARTICLE', 'ARTNUMBER'];

$options = getopt('', ['quick', 'without-indexes', 'orders:', 'dsn:', 'runs:']);
$quick = isset($options['quick']);
$companyOrders = (int)($options['orders'] ?? ($quick ? 20000 : 100000));
$runs = (int)($options['runs'] ?? ($quick ? 30 : 60));
$dsn = (string)($options['dsn'] ?? 'mysql:host=127.0.0.1;port=3306;charset=utf8mb4');

$pdo = new PDO($dsn, 'root', '', [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::MYSQL_ATTR_USE_BUFFERED_QUERY => true]);
$pdo->exec('CREATE DATABASE IF NOT EXISTS b2bsync_cabinet_bench CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
$pdo->exec('USE b2bsync_cabinet_bench');

function seeded(PDO $pdo, int $companyOrders): bool
{
    try {
        $row = $pdo->query("SELECT VALUE FROM bench_meta WHERE NAME = 'company_orders'")->fetch(PDO::FETCH_NUM);
        return $row !== false && (int)$row[0] === $companyOrders;
    } catch (PDOException) {
        return false;
    }
}

function create(PDO $pdo): void
{
    foreach (['bench_meta', 'b_sale_order', 'b_sale_basket', 'b_sale_basket_props', 'b_sale_order_props_value'] as $table) {
        $pdo->exec("DROP TABLE IF EXISTS $table");
    }
    $pdo->exec('CREATE TABLE bench_meta (NAME varchar(50) PRIMARY KEY, VALUE varchar(50))');
    $pdo->exec("CREATE TABLE b_sale_order (
        ID int NOT NULL AUTO_INCREMENT, LID char(2) NOT NULL, PERSON_TYPE_ID int NOT NULL, PAYED char(1) NOT NULL DEFAULT 'N',
        CANCELED char(1) NOT NULL DEFAULT 'N', STATUS_ID varchar(2) NOT NULL, DATE_STATUS datetime NOT NULL, EMP_STATUS_ID int NULL,
        PRICE_DELIVERY decimal(18,4) NOT NULL DEFAULT 0, PRICE decimal(18,4) NOT NULL, CURRENCY char(3) NOT NULL,
        DISCOUNT_VALUE decimal(18,4) NOT NULL DEFAULT 0, USER_ID int NOT NULL, DATE_INSERT datetime NOT NULL, DATE_UPDATE datetime NOT NULL,
        USER_DESCRIPTION varchar(2000) NULL, COMMENTS text NULL, RESPONSIBLE_ID int NULL, ACCOUNT_NUMBER varchar(100) NULL,
        XML_ID varchar(255) NULL, ID_1C varchar(36) NULL, VERSION int NOT NULL DEFAULT 0, SEARCH_CONTENT mediumtext NULL,
        PRIMARY KEY (ID), INDEX IXS_ORDER_PERSON_TYPE_ID (PERSON_TYPE_ID), INDEX IXS_ORDER_STATUS_ID (STATUS_ID),
        INDEX IXS_SALE_COUNT (USER_ID, LID, PAYED, CANCELED), INDEX IXS_DATE_UPDATE (DATE_UPDATE), INDEX IXS_XML_ID (XML_ID),
        INDEX IX_BSO_CANCELED (CANCELED), INDEX IX_BSO_DATE_INSERT (DATE_INSERT), UNIQUE IXS_ACCOUNT_NUMBER (ACCOUNT_NUMBER)
    ) ENGINE=InnoDB");
    $pdo->exec("CREATE TABLE b_sale_basket (
        ID int NOT NULL AUTO_INCREMENT, FUSER_ID int NOT NULL, ORDER_ID int NULL, PRODUCT_ID int NOT NULL, PRICE decimal(18,4) NOT NULL,
        CURRENCY char(3) NOT NULL, DATE_INSERT datetime NOT NULL, DATE_UPDATE datetime NOT NULL, QUANTITY double(18,4) NOT NULL DEFAULT 0,
        LID char(2) NOT NULL, NAME varchar(255) NOT NULL, MODULE varchar(100) NULL, DETAIL_PAGE_URL varchar(250) NULL,
        DISCOUNT_PRICE decimal(18,4) NOT NULL DEFAULT 0, CATALOG_XML_ID varchar(100) NULL, PRODUCT_XML_ID varchar(100) NULL,
        MEASURE_NAME varchar(50) NULL, XML_ID varchar(255) NULL, SORT int NOT NULL DEFAULT 100,
        PRIMARY KEY (ID), INDEX IXS_BASKET_LID (LID), INDEX IXS_BASKET_USER_ID_LID_ORDER_ID (FUSER_ID, LID, ORDER_ID),
        INDEX IXS_BASKET_ORDER_ID (ORDER_ID), INDEX IXS_BASKET_PRODUCT_ID (PRODUCT_ID), INDEX IXS_SBAS_XML_ID (PRODUCT_XML_ID, CATALOG_XML_ID),
        INDEX IXS_BASKET_DATE_INSERT (DATE_INSERT)
    ) ENGINE=InnoDB");
    $pdo->exec("CREATE TABLE b_sale_basket_props (
        ID int NOT NULL AUTO_INCREMENT, BASKET_ID int NOT NULL, NAME varchar(255) NOT NULL, VALUE varchar(255) NULL,
        CODE varchar(255) NULL, SORT int NOT NULL DEFAULT 100, XML_ID varchar(255) NULL,
        PRIMARY KEY (ID), INDEX IXS_BASKET_PROPS_BASKET (BASKET_ID), INDEX IXS_BASKET_PROPS_CODE (CODE)
    ) ENGINE=InnoDB");
    $pdo->exec("CREATE TABLE b_sale_order_props_value (
        ID int NOT NULL AUTO_INCREMENT, ORDER_ID int NOT NULL, ORDER_PROPS_ID int NULL, NAME varchar(255) NOT NULL,
        VALUE varchar(500) NULL, CODE varchar(50) NULL, XML_ID varchar(255) NULL, ENTITY_ID int NOT NULL, ENTITY_TYPE varchar(255) NOT NULL,
        PRIMARY KEY (ID), UNIQUE IX_SOPV_ENT_PROP_UNI (ENTITY_ID, ENTITY_TYPE(200), ORDER_PROPS_ID), INDEX IX_SOPV_ORD_PROP_UNI (ORDER_ID, ORDER_PROPS_ID)
    ) ENGINE=InnoDB");
}

/** @param list<string> $rows "(…)" value tuples */
function insertRows(PDO $pdo, string $head, array &$rows): void
{
    if ($rows !== []) {
        $pdo->exec($head . implode(',', $rows));
        $rows = [];
    }
}

/** A skewed product pick: a few products in many orders, most in a few. */
function product(): int
{
    $u = mt_rand() / mt_getrandmax();
    return 1 + (int)floor(PRODUCTS * $u ** 3);
}

function seed(PDO $pdo, int $companyOrders): void
{
    $started = microtime(true);
    mt_srand(20261124);
    create($pdo);
    $pdo->exec('SET unique_checks = 0');
    $pdo->beginTransaction();
    $total = 2 * $companyOrders;
    $orders = $baskets = $basketProps = $values = [];
    $basketId = 0;
    $valueId = 0;
    $date = strtotime('2026-11-24 10:00:00') - $total * 600;
    $props = [[1, 'FIO', 'Контактное лицо'], [2, 'EMAIL', 'E-mail'], [3, 'PHONE', 'Телефон'], [4, 'COMPANY', 'Компания'], [5, 'INN', 'ИНН'], [6, CODE, 'ID компании B2B']];
    for ($id = 1; $id <= $total; $id++) {
        $company = $id % 2 === 0 ? COMPANY : 2 + $id % OTHER_COMPANIES;
        $at = date('Y-m-d H:i:s', $date + $id * 600);
        $lines = mt_rand(2, 6);
        $sum = 0;
        for ($l = 0; $l < $lines; $l++) {
            $p = product();
            $price = 100 + $p % 900;
            $quantity = mt_rand(1, 20);
            $sum += $price * $quantity;
            $basketId++;
            $baskets[] = sprintf("(%d,%d,%d,%d,%d,'RUB','%s','%s',%d,'s1','Товар %d','catalog',NULL,0,'catalog-1','%s','шт',NULL,%d)", $basketId, 1000 + $company, $id, $p, $price, $at, $at, $quantity, $p, sprintf('%08x-0000-4000-8000-%012x', $p, $p), 100 * ($l + 1));
            $basketProps[] = sprintf("(%d,'Артикул','ART-%05d','CML2_ARTICLE',100,NULL)", $basketId, $p);
        }
        $status = ['N', 'P', 'F', 'F', 'F', 'PA', 'AP'][$id % 7];
        $orders[] = sprintf("(%d,'s1',2,'N','N','%s','%s',NULL,0,%d,'RUB',0,%d,'%s','%s',NULL,NULL,%d,'%d',NULL,NULL,0,NULL)", $id, $status, $at, $sum, 5000 + $id % 300, $at, $at, 10 + $company % 3, $id);
        foreach ($props as [$propId, $code, $name]) {
            $valueId++;
            $value = match ($code) {
                'FIO' => 'Покупатель ' . ($id % 300),
                'EMAIL' => 'buyer' . ($id % 300) . '@example.ru',
                'PHONE' => '+7 900 ' . str_pad((string)($id % 10000000), 7, '0', STR_PAD_LEFT),
                'COMPANY' => 'Компания ' . $company,
                'INN' => (string)(7700000000 + $company),
                default => (string)$company,
            };
            $values[] = sprintf("(%d,%d,%d,'%s','%s','%s',NULL,%d,'ORDER')", $valueId, $id, $propId, $name, addslashes($value), $code, $id);
        }
        if (count($baskets) >= 2000) {
            insertRows($pdo, 'INSERT INTO b_sale_basket VALUES ', $baskets);
            insertRows($pdo, 'INSERT INTO b_sale_basket_props (BASKET_ID, NAME, VALUE, CODE, SORT, XML_ID) VALUES ', $basketProps);
        }
        if (count($orders) >= 1000) {
            insertRows($pdo, 'INSERT INTO b_sale_order (ID,LID,PERSON_TYPE_ID,PAYED,CANCELED,STATUS_ID,DATE_STATUS,EMP_STATUS_ID,PRICE_DELIVERY,PRICE,CURRENCY,DISCOUNT_VALUE,USER_ID,DATE_INSERT,DATE_UPDATE,USER_DESCRIPTION,COMMENTS,RESPONSIBLE_ID,ACCOUNT_NUMBER,XML_ID,ID_1C,VERSION,SEARCH_CONTENT) VALUES ', $orders);
            insertRows($pdo, 'INSERT INTO b_sale_order_props_value VALUES ', $values);
            $pdo->commit();
            $pdo->beginTransaction();
        }
    }
    insertRows($pdo, 'INSERT INTO b_sale_basket VALUES ', $baskets);
    insertRows($pdo, 'INSERT INTO b_sale_basket_props (BASKET_ID, NAME, VALUE, CODE, SORT, XML_ID) VALUES ', $basketProps);
    insertRows($pdo, 'INSERT INTO b_sale_order (ID,LID,PERSON_TYPE_ID,PAYED,CANCELED,STATUS_ID,DATE_STATUS,EMP_STATUS_ID,PRICE_DELIVERY,PRICE,CURRENCY,DISCOUNT_VALUE,USER_ID,DATE_INSERT,DATE_UPDATE,USER_DESCRIPTION,COMMENTS,RESPONSIBLE_ID,ACCOUNT_NUMBER,XML_ID,ID_1C,VERSION,SEARCH_CONTENT) VALUES ', $orders);
    insertRows($pdo, 'INSERT INTO b_sale_order_props_value VALUES ', $values);
    $pdo->exec("INSERT INTO bench_meta VALUES ('company_orders', '$companyOrders')");
    $pdo->commit();
    $pdo->exec('SET unique_checks = 1');
    foreach (['b_sale_order', 'b_sale_basket', 'b_sale_basket_props', 'b_sale_order_props_value'] as $table) {
        $pdo->query("ANALYZE TABLE $table")->fetchAll();
    }
    printf("seeded %d orders (%d of company %d), %d basket lines, %d property values in %.1f s\n", $total, $companyOrders, COMPANY, $basketId, $valueId, microtime(true) - $started);
}

function hasIndex(PDO $pdo, string $table, string $name): bool
{
    return $pdo->query("SHOW INDEX FROM $table WHERE Key_name = " . $pdo->quote($name))->fetch() !== false;
}

/** @return float milliseconds */
function timed(callable $run): float
{
    $t = hrtime(true);
    $run();
    return (hrtime(true) - $t) / 1e6;
}

/** @param list<float> $values */
function percentile(array $values, float $p): float
{
    sort($values);
    return $values[(int)min(count($values) - 1, floor($p * count($values)))];
}

// --- the statements of SaleOrders::companyOrders() -----------------------------------------------

const BY_XML_ID = 'SELECT DISTINCT b.ORDER_ID FROM b_sale_basket b
    INNER JOIN b_sale_order_props_value c ON b.ORDER_ID = c.ORDER_ID AND c.CODE = :code
    WHERE c.VALUE = :company AND b.PRODUCT_XML_ID = :article';
const BY_PROPERTY = "SELECT DISTINCT b.ORDER_ID FROM b_sale_basket b
    INNER JOIN b_sale_basket_props p ON b.ID = p.BASKET_ID
    INNER JOIN b_sale_order_props_value c ON b.ORDER_ID = c.ORDER_ID AND c.CODE = :code
    WHERE c.VALUE = :company AND p.VALUE = :article AND p.CODE IN ('CML2_ARTICLE', 'ARTICLE', 'ARTNUMBER')";
const PAGE = 'SELECT o.ID, o.ACCOUNT_NUMBER, o.DATE_INSERT, o.STATUS_ID, o.PRICE, o.CURRENCY, o.USER_ID, o.RESPONSIBLE_ID, o.CANCELED
    FROM b_sale_order o INNER JOIN b_sale_order_props_value c ON o.ID = c.ORDER_ID AND c.CODE = :code
    WHERE c.VALUE = :company %s ORDER BY c.ORDER_ID DESC LIMIT 20 OFFSET 0';
// the total without filters on the order's columns: the property rows alone
const COUNT_LINKS = 'SELECT COUNT(1) FROM b_sale_order_props_value c WHERE c.CODE = :code AND c.VALUE = :company %s';
// the total with such filters: the join
const COUNT_JOINED = 'SELECT COUNT(1) FROM b_sale_order o INNER JOIN b_sale_order_props_value c ON o.ID = c.ORDER_ID AND c.CODE = :code
    WHERE c.VALUE = :company %s';

/** @return array{0: int, 1: int} rows on the page, total */
function search(PDO $pdo, string $article): array
{
    $bind = [':code' => CODE, ':company' => (string)COMPANY, ':article' => $article];
    $ids = [];
    foreach ([BY_XML_ID, BY_PROPERTY] as $sql) {
        $st = $pdo->prepare($sql);
        $st->execute($bind);
        foreach ($st->fetchAll(PDO::FETCH_COLUMN) as $id) {
            $ids[(int)$id] = true;
        }
    }
    if ($ids === []) {
        return [0, 0];
    }
    $list = implode(',', array_keys($ids));
    $page = $pdo->prepare(sprintf(PAGE, "AND o.ID IN ($list)"));
    $page->execute([':code' => CODE, ':company' => (string)COMPANY]);
    $rows = $page->fetchAll();
    $count = $pdo->prepare(sprintf(COUNT_LINKS, "AND c.ORDER_ID IN ($list)"));
    $count->execute([':code' => CODE, ':company' => (string)COMPANY]);
    return [count($rows), (int)$count->fetchColumn()];
}

/** @return array{0: int, 1: int} the company's first page, unfiltered or by status */
function firstPage(PDO $pdo, ?string $status = null): array
{
    $where = $status === null ? '' : 'AND o.STATUS_ID = ' . $pdo->quote($status);
    $page = $pdo->prepare(sprintf(PAGE, $where));
    $page->execute([':code' => CODE, ':company' => (string)COMPANY]);
    $rows = $page->fetchAll();
    $count = $pdo->prepare($status === null ? sprintf(COUNT_LINKS, '') : sprintf(COUNT_JOINED, $where));
    $count->execute([':code' => CODE, ':company' => (string)COMPANY]);
    return [count($rows), (int)$count->fetchColumn()];
}

function floorQuery(PDO $pdo, array $ids): void
{
    $pdo->query('SELECT ID, ACCOUNT_NUMBER, DATE_INSERT, STATUS_ID, PRICE, CURRENCY, USER_ID, RESPONSIBLE_ID, CANCELED FROM b_sale_order WHERE ID IN (' . implode(',', $ids) . ') ORDER BY ID DESC')->fetchAll();
}

function explain(PDO $pdo, string $title, string $sql, array $bind): void
{
    $st = $pdo->prepare('EXPLAIN ' . $sql);
    $st->execute($bind);
    echo "  plan of $title:\n";
    foreach ($st->fetchAll(PDO::FETCH_ASSOC) as $row) {
        printf("    %-3s %-8s key=%-30s rows=%-8s %s\n", $row['table'], $row['type'], (string)$row['key'], (string)$row['rows'], (string)$row['Extra']);
    }
}

/** The module's article index (install/db/mysql/cabinet.sql), filled with what ArticleIndexer writes. */
function articleIndex(PDO $pdo, int $companyOrders): void
{
    $row = $pdo->query("SELECT VALUE FROM bench_meta WHERE NAME = 'article_index'")->fetch(PDO::FETCH_NUM);
    if ($row !== false && (int)$row[0] === $companyOrders) {
        return;
    }
    $started = microtime(true);
    $pdo->exec('DROP TABLE IF EXISTS ' . ArticleIndex::TABLE);
    $pdo->exec((string)file_get_contents(dirname(__DIR__) . '/bridge/b2bsync.bridge/install/db/mysql/cabinet.sql'));
    $codes = implode(',', array_map([$pdo, 'quote'], ArticleIndex::DEFAULT_PROPERTIES));
    $pdo->exec('INSERT IGNORE INTO ' . ArticleIndex::TABLE . " (COMPANY_ID, ARTICLE, ORDER_ID)
        SELECT CAST(c.VALUE AS UNSIGNED), p.VALUE, b.ORDER_ID FROM b_sale_basket b
        INNER JOIN b_sale_basket_props p ON p.BASKET_ID = b.ID AND p.CODE IN ($codes)
        INNER JOIN b_sale_order_props_value c ON c.ORDER_ID = b.ORDER_ID AND c.CODE = '" . CODE . "'");
    $pdo->exec('INSERT IGNORE INTO ' . ArticleIndex::TABLE . " (COMPANY_ID, ARTICLE, ORDER_ID)
        SELECT CAST(c.VALUE AS UNSIGNED), b.PRODUCT_XML_ID, b.ORDER_ID FROM b_sale_basket b
        INNER JOIN b_sale_order_props_value c ON c.ORDER_ID = b.ORDER_ID AND c.CODE = '" . CODE . "'
        WHERE b.PRODUCT_XML_ID <> ''");
    $pdo->exec("REPLACE INTO bench_meta VALUES ('article_index', '$companyOrders')");
    $rows = (int)$pdo->query('SELECT COUNT(*) FROM ' . ArticleIndex::TABLE)->fetchColumn();
    printf("article index: %d rows in %.1f s\n", $rows, microtime(true) - $started);
}

const PAGE_BY_INDEX = 'SELECT o.ID, o.ACCOUNT_NUMBER, o.DATE_INSERT, o.STATUS_ID, o.PRICE, o.CURRENCY, o.USER_ID, o.RESPONSIBLE_ID, o.CANCELED
    FROM b_sale_order o INNER JOIN b2bsync_cabinet_article a ON o.ID = a.ORDER_ID
    WHERE a.COMPANY_ID = :company AND a.ARTICLE = :article ORDER BY a.ORDER_ID DESC LIMIT 20 OFFSET 0';
const COUNT_BY_INDEX = 'SELECT COUNT(1) FROM b2bsync_cabinet_article a WHERE a.COMPANY_ID = :company AND a.ARTICLE = :article';

/** @return array{0: int, 1: int} the search once the article index is ready */
function searchIndexed(PDO $pdo, string $article): array
{
    $bind = [':company' => COMPANY, ':article' => $article];
    $page = $pdo->prepare(PAGE_BY_INDEX);
    $page->execute($bind);
    $rows = $page->fetchAll();
    $count = $pdo->prepare(COUNT_BY_INDEX);
    $count->execute($bind);
    return [count($rows), (int)$count->fetchColumn()];
}

// --- run ---------------------------------------------------------------------------------------

if (!seeded($pdo, $companyOrders)) {
    seed($pdo, $companyOrders);
}
articleIndex($pdo, $companyOrders);
$without = isset($options['without-indexes']);
foreach (CabinetIndexes::INDEXES as $index) {
    $present = hasIndex($pdo, $index['table'], $index['name']);
    if ($without && $present) {
        $pdo->exec(CabinetIndexes::dropSql($index));
    } elseif (!$without && !$present) {
        $pdo->exec(CabinetIndexes::createSql($index));
    }
}
$pdo->query("ANALYZE TABLE b_sale_order_props_value, b_sale_basket_props")->fetchAll();

// articles by how many of the company's orders hold them
$popularity = $pdo->query("SELECT p.VALUE, COUNT(DISTINCT b.ORDER_ID) n FROM b_sale_basket b INNER JOIN b_sale_basket_props p ON p.BASKET_ID = b.ID
    WHERE b.ORDER_ID % 2 = 0 GROUP BY p.VALUE ORDER BY n DESC")->fetchAll(PDO::FETCH_KEY_PAIR);
$articles = array_keys($popularity);
$popular = array_slice($articles, 0, 10);
$rare = array_values(array_filter($articles, static fn (string $a): bool => $popularity[$a] <= 3));
mt_srand(7);
$pick = static fn (array $from): string => $from[mt_rand(0, count($from) - 1)];
printf("company %d: %d orders; the most popular article is in %d of them, %d articles in at most 3\n", COMPANY, $companyOrders, $popularity[$popular[0]], count($rare));

$bind = [':code' => CODE, ':company' => (string)COMPANY, ':article' => $rare[0]];
explain($pdo, 'the article index page', PAGE_BY_INDEX, [':company' => COMPANY, ':article' => $popular[0]]);
explain($pdo, 'the article index count', COUNT_BY_INDEX, [':company' => COMPANY, ':article' => $popular[0]]);
explain($pdo, 'article as a basket property (no article index yet)', BY_PROPERTY, $bind);
explain($pdo, 'article as product XML_ID', BY_XML_ID, $bind);
explain($pdo, 'the first page of the company', sprintf(PAGE, ''), [':code' => CODE, ':company' => (string)COMPANY]);

foreach (range(1, 5) as $_) {           // warm the buffer pool the way a running site is warm
    searchIndexed($pdo, $pick($rare));
    searchIndexed($pdo, $pick($popular));
    search($pdo, $pick($rare));
    search($pdo, $pick($popular));
    firstPage($pdo);
}
$times = ['rare' => [], 'popular' => [], 'rare_joins' => [], 'popular_joins' => [], 'first_page' => [], 'status_page' => [], 'floor' => []];
$someIds = array_map('intval', $pdo->query('SELECT ORDER_ID FROM b_sale_order_props_value WHERE CODE = ' . $pdo->quote(CODE) . ' AND VALUE = ' . $pdo->quote((string)COMPANY) . ' ORDER BY ORDER_ID DESC LIMIT 20')->fetchAll(PDO::FETCH_COLUMN));
$found = ['rare' => 0, 'popular' => 0];
for ($i = 0; $i < $runs; $i++) {
    $times['rare'][] = timed(static function () use ($pdo, $pick, $rare, &$found): void {
        $found['rare'] += searchIndexed($pdo, $pick($rare))[1];
    });
    $times['popular'][] = timed(static function () use ($pdo, $pick, $popular, &$found): void {
        $found['popular'] += searchIndexed($pdo, $pick($popular))[1];
    });
    $times['rare_joins'][] = timed(static fn () => search($pdo, $pick($rare)));
    $times['popular_joins'][] = timed(static fn () => search($pdo, $pick($popular)));
    $times['first_page'][] = timed(static fn () => firstPage($pdo));
    $times['status_page'][] = timed(static fn () => firstPage($pdo, 'PA'));
    $times['floor'][] = timed(static fn () => floorQuery($pdo, $someIds));
}
$floor = percentile($times['floor'], 0.5);
$figures = [];
foreach (['rare' => 'search_rare', 'popular' => 'search_popular', 'rare_joins' => 'noindex_rare', 'popular_joins' => 'noindex_popular', 'first_page' => 'first_page', 'status_page' => 'status_page'] as $key => $name) {
    $figures[$name . '_p50_ms'] = round(percentile($times[$key], 0.5), 2);
    $figures[$name . '_p95_ms'] = round(percentile($times[$key], 0.95), 2);
}
$figures['floor_p50_ms'] = round($floor, 3);
$figures['search_popular_p95_vs_floor'] = round($figures['search_popular_p95_ms'] / max($floor, 0.001), 1);
$figures['company_orders'] = $companyOrders;
$figures['popular_hits_avg'] = (int)round($found['popular'] / $runs);
$figures['indexes'] = $without ? 'none' : 'module';
$figures['goal_p95_ms'] = 200;
$figures['ok'] = max($figures['search_rare_p95_ms'], $figures['search_popular_p95_ms']) < 200 ? 'yes' : 'no';
printf("search by a rare article:    p50 %.2f ms, p95 %.2f ms\n", $figures['search_rare_p50_ms'], $figures['search_rare_p95_ms']);
printf("search by a popular article: p50 %.2f ms, p95 %.2f ms (%d orders found on average)\n", $figures['search_popular_p50_ms'], $figures['search_popular_p95_ms'], $figures['popular_hits_avg']);
printf("  without the article index (while the agent fills it): rare p95 %.2f ms, popular p50 %.2f ms, p95 %.2f ms\n", $figures['noindex_rare_p95_ms'], $figures['noindex_popular_p50_ms'], $figures['noindex_popular_p95_ms']);
printf("first page of the company:   p50 %.2f ms, p95 %.2f ms\n", $figures['first_page_p50_ms'], $figures['first_page_p95_ms']);
printf("first page, status PA:       p50 %.2f ms, p95 %.2f ms\n", $figures['status_page_p50_ms'], $figures['status_page_p95_ms']);
printf("floor (20 orders by ID):     p50 %.3f ms; popular p95 / floor = %.1f\n", $floor, $figures['search_popular_p95_vs_floor']);
if ($without) {
    foreach (CabinetIndexes::INDEXES as $index) {
        $pdo->exec(CabinetIndexes::createSql($index));
    }
}
echo implode(' ', array_map(static fn (string $k, mixed $v): string => "$k=$v", array_keys($figures), $figures)), "\n";
