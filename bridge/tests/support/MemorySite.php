<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\AccessPort;
use B2bsync\Bridge\Core\AccountPort;
use B2bsync\Bridge\Core\BlockPort;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\FilePort;
use B2bsync\Bridge\Core\MailPort;
use B2bsync\Bridge\Core\OptionPort;
use B2bsync\Bridge\Core\OrderEventWriter;
use B2bsync\Bridge\Core\OrderPort;
use B2bsync\Bridge\Core\OrderQuery;
use B2bsync\Bridge\Core\PeoplePort;
use B2bsync\Bridge\Core\RecipientPort;
use B2bsync\Bridge\Core\RowPort;
use B2bsync\Bridge\Core\ServiceAccount;
use B2bsync\Bridge\Core\SitePort;
use B2bsync\Bridge\Core\UserPort;

/**
 * Every port of the bridge in memory: the fresh site the contract's scenarios start from (site
 * s1, languages de (inactive), en, ru; user 1 the administrator; groups 1 administrators, 2 all
 * users, 3 and 4 the rating groups added to every new user, 5 the module's service group with
 * sale = W, 6 "B2B buyers", the one group user.add may use). It plays the part the Bitrix core
 * plays on a real site — storage and its defaults, unique indexes, the password policy, D7's
 * count shortcut — and nothing more; every rule of the scope stays in the Core classes under test.
 *
 * For the cabinet it also plays the sale module (orders with their basket and B2B_COMPANY_ID,
 * statuses; a status change fires the module's status-log handler, OrderEventWriter, as the
 * sale event does on a site), user options (the current company), the pull module (pushes are
 * recorded) and file sending (recorded in $downloads; files under $uploads by site path).
 */
final class MemorySite implements BlockPort, RowPort, UserPort, MailPort, SitePort, AccessPort, AccountPort, RecipientPort, OptionPort, OrderPort, PeoplePort, FilePort
{
    use MemoryRows;
    use MemoryMail;
    use MemoryPeople;

    public const SERVICE_GROUP = 5;
    public const BUYERS_GROUP = 6;

    /** @var array<int, array<string, mixed>> sale orders by ID (see addOrder()) */
    public array $orders = [];
    /** @var array<string, array{XML_ID: string, SORT: int, NAMES: array<string, string>}> order statuses */
    public array $statuses = [];
    /** @var array<int, int> user ID => preferred company */
    public array $preferences = [];
    /** @var list<array{0: int, 1: int}> pull pushes: user ID, unread count */
    public array $pushes = [];
    /** @var list<array{0: string, 1: string|int, 2: string}> files sent: kind, file ID or path, name */
    public array $downloads = [];
    /** @var array<string, string> files under the site root by path (upload mode) */
    public array $uploads = [];
    /** @var ?\Closure(int, string): void runs before a status change (a test throws to play a refusing sale module) */
    public ?\Closure $beforeStatusChange = null;
    /** @var array<string, int> */
    private array $counters = [];

    public function __construct(private readonly \DateTimeImmutable $now)
    {
        $this->users[1] = ['ID' => 1, 'LOGIN' => 'admin', 'EMAIL' => 'admin@example.ru', 'NAME' => 'Admin', 'LAST_NAME' => 'Local', 'ACTIVE' => true, 'GROUP_IDS' => [1]];
        $this->groups = [
            1 => ['NAME' => 'Administrators', 'STRING_ID' => ''],
            2 => ['NAME' => 'All users', 'STRING_ID' => ''],
            3 => ['NAME' => 'Rating voters', 'STRING_ID' => 'RATING_VOTE'],
            4 => ['NAME' => 'Rating voters (authority)', 'STRING_ID' => 'RATING_VOTE_AUTHORITY'],
            self::SERVICE_GROUP => ['NAME' => 'b2bsync: service account', 'STRING_ID' => ServiceAccount::GROUP_CODE],
            self::BUYERS_GROUP => ['NAME' => 'B2B buyers', 'STRING_ID' => 'B2B_BUYERS'],
        ];
        $this->rights = ['sale' => [self::SERVICE_GROUP => 'W']];
        $this->options = [
            ServiceAccount::OPTION_GROUP => (string)self::SERVICE_GROUP,
            'user_groups' => json_encode([self::BUYERS_GROUP]),
            // the settings page's link and ping options, as default_option.php sets them
            'link_base_url' => '',
            'link_secret' => '',
            'link_ttl' => '86400',
            'sidecar_url' => '',
        ];
    }

    private function next(string $kind): int
    {
        $this->counters[$kind] = ($this->counters[$kind] ?? 0) + 1;
        return $this->counters[$kind];
    }

    // SitePort -----------------------------------------------------------------------------
    public function defaultSiteId(): string
    {
        return 's1';
    }

    public function siteIds(): array
    {
        return ['s1'];
    }

    public function languages(): array
    {
        return ['de', 'en', 'ru'];
    }

    public function activeLanguages(): array
    {
        return ['en', 'ru'];
    }

    public function personTypes(): array
    {
        return [];
    }

    public function timezone(): \DateTimeZone
    {
        return new \DateTimeZone('Europe/Moscow');
    }

    public function now(): \DateTimeImmutable
    {
        return $this->now->setTimezone($this->timezone());
    }

    // fixtures: what an administrator does by hand -----------------------------------------

    /** A block made in Content → Highload-blocks: the next block ID, not b2bsync's. */
    public function addBlockByHand(string $name, string $tableName): int
    {
        return $this->addBlock($name, $tableName, []);
    }

    /** The settings page's service user: the next user ID, in the service group only. */
    public function addServiceUserByHand(string $email): int
    {
        return (new ServiceAccount($this))->user($email);
    }

    // RecipientPort ------------------------------------------------------------------------
    public function usersByIds(array $ids): array
    {
        $out = [];
        foreach ($ids as $id) {
            if (isset($this->users[$id])) {
                $out[] = $this->users[$id] + ['LANGUAGE_ID' => ''];
            }
        }
        return $out;
    }

    // OrderPort ----------------------------------------------------------------------------
    /**
     * A sale order: the fields OrderPort names, COMPANY_ID standing for the B2B_COMPANY_ID
     * property value, BASKET lines with NAME, PRODUCT_XML_ID, PROPS (code => value), QUANTITY,
     * PRICE, MEASURE.
     * @param array<string, mixed> $order
     */
    public function addOrder(array $order): int
    {
        $id = $order['ID'] ?? (max([0, ...array_keys($this->orders)]) + 1);
        $this->orders[$id] = $order + [
            'ID' => $id,
            'ACCOUNT_NUMBER' => (string)$id,
            'DATE_INSERT' => $this->now(),
            'STATUS_ID' => 'N',
            'PRICE' => 0.0,
            'CURRENCY' => 'RUB',
            'USER_ID' => 1,
            'RESPONSIBLE_ID' => null,
            'CANCELED' => false,
            'COMPANY_ID' => null,
            'BASKET' => [],
        ];
        return $id;
    }

    /**
     * @param array<string, mixed> $line
     * @param list<string> $codes
     * @return list<string>
     */
    private static function articles(array $line, array $codes): array
    {
        $out = [];
        foreach ($codes as $code) {
            if (isset($line['PROPS'][$code]) && $line['PROPS'][$code] !== '') {
                $out[] = (string)$line['PROPS'][$code];
            }
        }
        if (($line['PRODUCT_XML_ID'] ?? '') !== '') {
            $out[] = (string)$line['PRODUCT_XML_ID'];
        }
        return $out;
    }

    /** @return array<string, mixed> */
    private function orderRow(array $order): array
    {
        $row = $order;
        unset($row['BASKET']);
        return $row;
    }

    public function companyOrders(int $companyId, OrderQuery $query, int $limit, int $offset): array
    {
        $found = [];
        krsort($this->orders);
        foreach ($this->orders as $order) {
            if ($order['COMPANY_ID'] !== $companyId) {
                continue;
            }
            $articles = [];
            foreach ($order['BASKET'] as $line) {
                $articles = [...$articles, ...self::articles($line, $query->articleCodes)];
            }
            if ($query->matches($this->orderRow($order) + ['ARTICLES' => $articles])) {
                $found[] = $this->orderRow($order);
            }
        }
        return ['rows' => array_slice($found, $offset, $limit), 'total' => count($found)];
    }

    public function order(int $orderId, array $articleCodes = []): ?array
    {
        $order = $this->orders[$orderId] ?? null;
        if ($order === null) {
            return null;
        }
        $basket = [];
        foreach ($order['BASKET'] as $line) {
            $basket[] = [
                'NAME' => $line['NAME'],
                'ARTICLE' => self::articles($line, $articleCodes)[0] ?? null,
                'QUANTITY' => (float)$line['QUANTITY'],
                'PRICE' => (float)$line['PRICE'],
                'MEASURE' => (string)($line['MEASURE'] ?? ''),
            ];
        }
        return $this->orderRow($order) + ['BASKET' => $basket];
    }

    public function statuses(string $lang): array
    {
        $out = [];
        uasort($this->statuses, static fn (array $a, array $b): int => $a['SORT'] <=> $b['SORT']);
        foreach ($this->statuses as $id => $status) {
            $out[(string)$id] = ['NAME' => $status['NAMES'][$lang] ?? (string)$id, 'XML_ID' => $status['XML_ID'], 'SORT' => $status['SORT']];
        }
        return $out;
    }

    /** As the sale module: the new status is saved, then OnSaleStatusOrderChange runs the module's handler. */
    public function changeStatus(int $orderId, string $statusId, int $userId): void
    {
        $order = $this->orders[$orderId] ?? null;
        if ($order === null || !isset($this->statuses[$statusId])) {
            throw new CabinetDenied(CabinetDenied::CONFLICT, "the sale module refused status $statusId for order $orderId");
        }
        if ($this->beforeStatusChange !== null) {
            ($this->beforeStatusChange)($orderId, $statusId);
        }
        $this->orders[$orderId]['STATUS_ID'] = $statusId;
        (new OrderEventWriter($this, $this, $this))->write($orderId, $order['STATUS_ID'], $statusId, $userId);
    }

    // PeoplePort ---------------------------------------------------------------------------
    public function people(array $ids): array
    {
        $out = [];
        foreach ($ids as $id) {
            $user = $this->users[$id] ?? null;
            if ($user !== null) {
                $name = trim($user['NAME'] . ' ' . $user['LAST_NAME']);
                $out[$id] = ['ID' => $id, 'NAME' => $name === '' ? $user['LOGIN'] : $name, 'EMAIL' => $user['EMAIL'], 'LANGUAGE_ID' => $user['LANGUAGE_ID'] ?? 'ru'];
            }
        }
        return $out;
    }

    public function preferredCompany(int $userId): ?int
    {
        return $this->preferences[$userId] ?? null;
    }

    public function setPreferredCompany(int $userId, int $companyId): void
    {
        $this->preferences[$userId] = $companyId;
    }

    public function pushUnread(int $userId, int $unread): void
    {
        $this->pushes[] = [$userId, $unread];
    }

    // FilePort -----------------------------------------------------------------------------
    public function sendStored(int $fileId, string $downloadName): bool
    {
        if (!isset($this->files[$fileId])) {
            return false;
        }
        $this->downloads[] = ['stored', $fileId, $downloadName];
        return true;
    }

    public function sendUploaded(string $sitePath, string $downloadName): bool
    {
        if (!isset($this->uploads[$sitePath])) {
            return false;
        }
        $this->downloads[] = ['uploaded', $sitePath, $downloadName];
        return true;
    }
}
