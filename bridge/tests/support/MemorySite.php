<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\BlockPort;
use B2bsync\Bridge\Core\CabinetDenied;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\FilePort;
use B2bsync\Bridge\Core\FileUpload;
use B2bsync\Bridge\Core\ListQuery;
use B2bsync\Bridge\Core\MailPort;
use B2bsync\Bridge\Core\OptionPort;
use B2bsync\Bridge\Core\OrderEventWriter;
use B2bsync\Bridge\Core\OrderPort;
use B2bsync\Bridge\Core\OrderQuery;
use B2bsync\Bridge\Core\PeoplePort;
use B2bsync\Bridge\Core\RecipientPort;
use B2bsync\Bridge\Core\RowPort;
use B2bsync\Bridge\Core\RowWriter;
use B2bsync\Bridge\Core\SitePort;
use B2bsync\Bridge\Core\UserPort;

/**
 * Every port of the bridge in memory: the fresh site the contract's scenarios start from
 * (site s1, languages de (inactive), en, ru, user 1 the administrator). It plays the part the
 * Bitrix core plays on a real site — storage, unique indexes, the password policy — and nothing
 * more; every rule of the scope stays in the Core classes under test.
 *
 * For the cabinet it also plays the sale module (orders with their basket and B2B_COMPANY_ID,
 * statuses; a status change fires the module's status-log handler, OrderEventWriter, as the
 * sale event does on a site), user options (the current company), the pull module (pushes are
 * recorded) and file sending (recorded in $downloads; files under $uploads by site path).
 */
final class MemorySite implements BlockPort, RowPort, UserPort, MailPort, SitePort, RecipientPort, OptionPort, OrderPort, PeoplePort, FilePort
{
    /** @var array<int, array<string, mixed>> */
    public array $blocks = [];
    /** @var array<int, array<string, mixed>> */
    public array $fields = [];
    /** @var array<int, array<string, array{FIELDS: list<string>, UNIQUE: bool}>> */
    public array $indexes = [];
    /** @var array<int, array<int, array<string, mixed>>> */
    public array $rows = [];
    /** @var array<int, array{name: string, content: string}> */
    public array $files = [];
    /** @var array<int, array<string, mixed>> */
    public array $users = [];
    /** @var array<int, array<string, mixed>> */
    public array $types = [];
    /** @var array<int, array<string, mixed>> */
    public array $templates = [];
    /** @var array<string, array{ID: int, FINGERPRINT: string}> */
    public array $records = [];
    /** @var list<array<string, mixed>> */
    public array $sent = [];
    /** @var array<string, int> */
    public array $dedup = [];
    /** @var array<string, string> the module's options, as default_option.php sets them */
    public array $options = ['link_base_url' => '', 'link_secret' => '', 'link_ttl' => '86400', 'sidecar_url' => ''];
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
    /** @var list<string> */
    private array $tables = ['b_user', 'b_user_field', 'b_option', 'b_event', 'b_event_type', 'b_event_message', 'b_file', 'b_hlblock_entity', 'b_sale_order'];

    public function __construct(private readonly \DateTimeImmutable $now)
    {
        $this->users[1] = ['ID' => 1, 'LOGIN' => 'admin', 'EMAIL' => 'admin@example.ru', 'NAME' => 'Admin', 'LAST_NAME' => 'Local', 'ACTIVE' => true, 'GROUP_IDS' => [1]];
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

    // BlockPort ----------------------------------------------------------------------------
    public function blocks(): array
    {
        ksort($this->blocks);
        return array_values($this->blocks);
    }

    public function tableExists(string $tableName): bool
    {
        return in_array($tableName, $this->tables, true);
    }

    public function addBlock(string $name, string $tableName, array $lang): int
    {
        $id = $this->next('block');
        $this->blocks[$id] = ['ID' => $id, 'NAME' => $name, 'TABLE_NAME' => $tableName, 'LANG' => $lang];
        $this->tables[] = $tableName;
        $this->rows[$id] = [];
        $this->indexes[$id] = [];
        return $id;
    }

    public function setBlockLang(int $blockId, array $lang): void
    {
        $this->blocks[$blockId]['LANG'] = array_merge($this->blocks[$blockId]['LANG'], $lang);
    }

    public function fields(int $blockId): array
    {
        $found = array_values(array_filter($this->fields, static fn (array $f): bool => $f['HLBLOCK_ID'] === $blockId));
        usort($found, static fn (array $a, array $b): int => [$a['SORT'], $a['ID']] <=> [$b['SORT'], $b['ID']]);
        return $found;
    }

    public function field(int $fieldId): ?array
    {
        return $this->fields[$fieldId] ?? null;
    }

    public function typeExists(string $userTypeId): bool
    {
        return in_array($userTypeId, ['string', 'string_formatted', 'url', 'integer', 'double', 'boolean', 'date', 'datetime', 'enumeration', 'file'], true);
    }

    public function addField(int $blockId, array $field): int
    {
        $field['ID'] = $this->next('field');
        $field['HLBLOCK_ID'] = $blockId;
        $field['LIST'] = $this->numberItems($field['LIST']);
        $this->fields[$field['ID']] = $field;
        foreach ($this->rows[$blockId] as $id => $row) {
            $this->rows[$blockId][$id][$field['FIELD_NAME']] = $field['MULTIPLE'] ? [] : null;
        }
        return $field['ID'];
    }

    /**
     * @param list<array<string, mixed>> $items
     * @return list<array<string, mixed>>
     */
    private function numberItems(array $items): array
    {
        foreach ($items as $i => $item) {
            if ($item['ID'] === null) {
                $items[$i]['ID'] = $this->next('enum');
            }
        }
        return $items;
    }

    public function updateField(array $before, array $after): void
    {
        $after['LIST'] = $this->numberItems($after['LIST']);
        $this->fields[$before['ID']] = $after;
    }

    public function indexes(array $block): array
    {
        return $this->indexes[$block['ID']];
    }

    public function createIndex(array $block, string $name, array $columns, bool $unique): void
    {
        $names = array_map(static fn (array $f): string => $f['FIELD_NAME'], $columns);
        if ($unique) {
            $seen = [];
            foreach ($this->rows[$block['ID']] as $row) {
                $key = RowWriter::uniqueKey($row, $names);
                if ($key !== null && in_array($key, $seen, true)) {
                    throw ApiError::of(ErrorCode::INDEX_DUPLICATE_ROWS, "rows repeat the values of $name");
                }
                if ($key !== null) {
                    $seen[] = $key;
                }
            }
        }
        $this->indexes[$block['ID']][$name] = ['FIELDS' => $names, 'UNIQUE' => $unique];
    }

    // RowPort ------------------------------------------------------------------------------
    public function getRow(array $block, array $fields, int $id): ?array
    {
        return $this->rows[$block['ID']][$id] ?? null;
    }

    public function findRows(array $block, array $fields, ListQuery $query, int $limit, ?int $offset): array
    {
        $rows = $this->rows[$block['ID']];
        ksort($rows);
        $matching = $query->apply(array_values($rows));
        return [
            'rows' => array_slice($matching, $offset ?? 0, $limit),
            'total' => $offset === null ? null : count($matching),
        ];
    }

    public function addRow(array $block, array $fields, array $values): int
    {
        $row = ['ID' => 0];
        foreach ($fields as $name => $field) {
            $row[$name] = $field['MULTIPLE'] ? [] : null;
        }
        $row = array_merge($row, $values);
        $this->checkUnique($block, $row, null);
        $id = $this->next('row' . $block['ID']);
        $row['ID'] = $id;
        $this->rows[$block['ID']][$id] = $this->storeFiles($fields, $row, []);
        return $id;
    }

    public function updateRow(array $block, array $fields, array $row, array $values): void
    {
        $merged = array_merge($row, $values);
        $this->checkUnique($block, $merged, (int)$row['ID']);
        $this->rows[$block['ID']][(int)$row['ID']] = $this->storeFiles($fields, $merged, $row);
    }

    public function deleteRow(array $block, array $fields, array $row): void
    {
        unset($this->rows[$block['ID']][(int)$row['ID']]);
        foreach ($fields as $name => $field) {
            if ($field['USER_TYPE_ID'] === 'file') {
                foreach ((array)($row[$name] ?? []) as $fileId) {
                    unset($this->files[(int)$fileId]);
                }
            }
        }
    }

    /**
     * @param array<string, array<string, mixed>> $fields
     * @param array<string, mixed> $row
     * @param array<string, mixed> $before
     * @return array<string, mixed>
     */
    private function storeFiles(array $fields, array $row, array $before): array
    {
        foreach ($fields as $name => $field) {
            if ($field['USER_TYPE_ID'] !== 'file') {
                continue;
            }
            $store = function (mixed $value): mixed {
                if ($value instanceof FileUpload) {
                    $id = $this->next('file');
                    $this->files[$id] = ['name' => $value->name, 'content' => $value->content];
                    return $id;
                }
                return $value;
            };
            $row[$name] = $field['MULTIPLE'] ? array_map($store, $row[$name] ?? []) : $store($row[$name] ?? null);
            $old = array_filter((array)($before[$name] ?? []), static fn (mixed $v): bool => $v !== null);
            $now = (array)($row[$name] ?? []);
            foreach (array_diff($old, $now) as $gone) {
                unset($this->files[(int)$gone]);
            }
        }
        return $row;
    }

    /** @param array<string, mixed> $row */
    private function checkUnique(array $block, array $row, ?int $rowId): void
    {
        foreach ($this->indexes[$block['ID']] as $name => $index) {
            if (!$index['UNIQUE']) {
                continue;
            }
            $key = RowWriter::uniqueKey($row, $index['FIELDS']);
            if ($key === null) {
                continue;
            }
            foreach ($this->rows[$block['ID']] as $otherId => $other) {
                if ($otherId !== $rowId && RowWriter::uniqueKey($other, $index['FIELDS']) === $key) {
                    throw ApiError::of(ErrorCode::DUPLICATE, "the row breaks the unique index $name");
                }
            }
        }
    }

    public function file(int $fileId): ?array
    {
        return $this->files[$fileId] ?? null;
    }

    public function lock(string $name): bool
    {
        return true;
    }

    public function unlock(string $name): void
    {
    }

    // UserPort -----------------------------------------------------------------------------
    public function findByEmail(string $email): ?array
    {
        ksort($this->users);
        foreach ($this->users as $user) {
            if (mb_strtolower($user['EMAIL']) === mb_strtolower($email)) {
                return $user;
            }
        }
        return null;
    }

    public function loginExists(string $login): bool
    {
        foreach ($this->users as $user) {
            if (mb_strtolower($user['LOGIN']) === mb_strtolower($login)) {
                return true;
            }
        }
        return false;
    }

    /** The default policy of a fresh site: logins of 3 characters, passwords of 6 at least. */
    public function addUser(array $user): int
    {
        if (mb_strlen($user['LOGIN']) < 3) {
            throw ApiError::of(ErrorCode::USER_ADD, 'the login must be at least 3 characters long');
        }
        if (mb_strlen($user['PASSWORD']) < 6) {
            throw ApiError::of(ErrorCode::USER_ADD, 'the password must be at least 6 characters long');
        }
        $id = max(array_keys($this->users)) + 1;
        unset($user['PASSWORD']);
        $this->users[$id] = ['ID' => $id, 'ACTIVE' => true] + $user;
        return $id;
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

    // OptionPort ---------------------------------------------------------------------------
    public function option(string $name, string $default = ''): string
    {
        return $this->options[$name] ?? $default;
    }

    // MailPort -----------------------------------------------------------------------------
    public function types(?string $eventName = null): array
    {
        ksort($this->types);
        return array_values(array_filter($this->types, static fn (array $t): bool => $eventName === null || $t['EVENT_NAME'] === $eventName));
    }

    public function addType(array $type): int
    {
        $id = $this->next('type');
        $this->types[$id] = ['ID' => $id] + $type;
        return $id;
    }

    public function updateType(int $id, array $type): void
    {
        $this->types[$id] = array_merge($this->types[$id], $type);
    }

    public function templates(?string $eventName = null): array
    {
        ksort($this->templates);
        return array_values(array_filter($this->templates, static fn (array $t): bool => $eventName === null || $t['EVENT_NAME'] === $eventName));
    }

    public function addTemplate(array $template): int
    {
        $id = $this->next('template');
        $this->templates[$id] = ['ID' => $id] + $template;
        return $id;
    }

    public function updateTemplate(int $id, array $template): void
    {
        $template['ACTIVE'] = $template['ACTIVE'] === 'Y';
        $this->templates[$id] = array_merge($this->templates[$id], $template);
    }

    public function records(): array
    {
        return $this->records;
    }

    public function saveRecord(string $identity, int $templateId, string $fingerprint): void
    {
        $this->records[$identity] = ['ID' => $templateId, 'FINGERPRINT' => $fingerprint];
    }

    public function send(string $eventName, string $siteId, array $fields, ?string $dedupKey, ?string $languageId = null): array
    {
        if ($dedupKey !== null && isset($this->dedup[$dedupKey])) {
            return ['ID' => $this->dedup[$dedupKey], 'DUPLICATE' => true];
        }
        $id = $this->next('event');
        $this->sent[] = ['ID' => $id, 'EVENT_NAME' => $eventName, 'LID' => $siteId, 'FIELDS' => $fields, 'DEDUP_KEY' => $dedupKey, 'LANGUAGE_ID' => $languageId];
        if ($dedupKey !== null) {
            $this->dedup[$dedupKey] = $id;
        }
        return ['ID' => $id, 'DUPLICATE' => false];
    }

    /**
     * The queued event $eventId, or null: its LANGUAGE_ID and the IDs of the templates the mail
     * agent sends it through (Event::handleEvent: active, the event's type and one of its sites,
     * and when the event has a language, that language or none).
     * @return array{LANGUAGE_ID: ?string, TEMPLATE_IDS: list<int>}|null
     */
    public function delivery(int $eventId): ?array
    {
        foreach ($this->sent as $event) {
            if ($event['ID'] !== $eventId) {
                continue;
            }
            $ids = [];
            foreach ($this->templates() as $template) {
                if ($template['ACTIVE'] && $template['EVENT_NAME'] === $event['EVENT_NAME']
                    && in_array($event['LID'], $template['LID'], true)
                    && ($event['LANGUAGE_ID'] === null || in_array($template['LANGUAGE_ID'], ['', $event['LANGUAGE_ID']], true))) {
                    $ids[] = (int)$template['ID'];
                }
            }
            return ['LANGUAGE_ID' => $event['LANGUAGE_ID'], 'TEMPLATE_IDS' => $ids];
        }
        return null;
    }

    public function setOption(string $name, string $value): void
    {
        $this->options[$name] = $value;
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
