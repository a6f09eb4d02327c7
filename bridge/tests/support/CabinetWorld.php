<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\BridgeApi;
use B2bsync\Bridge\Core\Cabinet;

/**
 * A MemorySite with b2bsync's schema applied (the blocks of bridge/contract/hl_blocks.json,
 * created through the REST core as `schema apply` does, the role table of roles.json stored
 * through b2bsync.option.set, the PA/AP/RJ statuses) and a small store around it, the same for
 * the PHPUnit tests, the template snapshots and the page test in Chromium:
 *
 * company 1 "ООО «Ромашка»" (manager: user 6; orders blocked for overdue debt) with Olga (2,
 * owner), Boris (3, buyer), Anna (4, accountant), Victor (5, viewer), Dmitry (7, buyer,
 * deactivated); company 2 "АО «Вектор»" (stale credit data) with Pavel (8, owner) and Olga as a
 * buyer. 25 orders of company 1 over four months — order 1001 from three months ago holds article
 * ART-7731, 1024 waits for approval, 1023 was rejected with a reason, 1022 approved — and three of
 * company 2 (one with the same article). Documents in all three file modes plus a deleted one,
 * notifications, comments (one internal), invites.
 */
final class CabinetWorld
{
    public const NOW = '2026-11-24T10:00:00+03:00';
    public const OWNER = 2;
    public const BUYER = 3;
    public const ACCOUNTANT = 4;
    public const VIEWER = 5;
    public const MANAGER = 6;
    public const FORMER = 7;
    public const OTHER_OWNER = 8;
    public const COMPANY = 1;
    public const OTHER_COMPANY = 2;
    public const OLD_ORDER = 1001;
    public const PENDING_ORDER = 1024;
    public const REJECTED_ORDER = 1023;
    public const APPROVED_ORDER = 1022;
    public const OTHER_ORDER = 2001;
    public const ARTICLE = 'ART-7731';
    public const LINK_SECRET = 's3cr3t-key-for-tests';

    public readonly MemorySite $site;
    public readonly BridgeApi $api;

    public function __construct(bool $seed = true)
    {
        $this->site = new MemorySite(new \DateTimeImmutable(self::NOW));
        $this->api = new BridgeApi($this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site, $this->site);
        $this->applySchema();
        if ($seed) {
            $this->seed();
        }
    }

    public function cabinet(): Cabinet
    {
        $s = $this->site;
        return new Cabinet($s, $s, $s, $s, $s, $s, $s);
    }

    /** @param array<array-key, mixed> $params */
    public function call(string $method, array $params): mixed
    {
        return $this->api->call($method, $params)['result'];
    }

    private function applySchema(): void
    {
        $doc = json_decode((string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/hl_blocks.json'), true, 64, JSON_THROW_ON_ERROR);
        // as `b2bsync schema apply` does: declare the blocks first (the bridge's access control)
        $this->call('b2bsync.hlblock.declare', ['NAMES' => array_map(static fn (array $b): string => $b['NAME'], $doc['blocks'])]);
        foreach ($doc['blocks'] as $block) {
            $id = $this->call('b2bsync.hlblock.add', ['NAME' => $block['NAME'], 'TABLE_NAME' => $block['TABLE_NAME']]);
            foreach ($block['FIELDS'] as $field) {
                $spec = [
                    'FIELD_NAME' => $field['FIELD_NAME'],
                    'USER_TYPE_ID' => $field['USER_TYPE_ID'],
                    'MANDATORY' => $field['MANDATORY'] ? 'Y' : 'N',
                    'MULTIPLE' => $field['MULTIPLE'] ? 'Y' : 'N',
                ];
                if ($field['LIST'] !== []) {
                    $spec['LIST'] = array_map(static fn (string $code, int $i): array => ['VALUE' => $code, 'XML_ID' => $code, 'SORT' => ($i + 1) * 10], $field['LIST'], array_keys($field['LIST']));
                }
                $this->call('b2bsync.hlblock.field.add', ['HLBLOCK_ID' => $id, 'FIELD' => $spec]);
            }
            foreach ($block['UNIQUE'] as $i => $fields) {
                $this->call('b2bsync.hlblock.index.ensure', ['HLBLOCK_ID' => $id, 'NAME' => 'ux_' . $block['TABLE_NAME'] . '_' . $i, 'FIELDS' => $fields, 'UNIQUE' => 'Y']);
            }
        }
        $roles = (string)file_get_contents(B2BSYNC_CONTRACT_DIR . '/roles.json');
        $this->call('b2bsync.option.set', ['NAME' => 'roles', 'VALUE' => $roles]);
        $this->site->statuses = [
            'N' => ['XML_ID' => '', 'SORT' => 10, 'NAMES' => ['ru' => 'Принят', 'en' => 'Accepted']],
            'PA' => ['XML_ID' => 'APPROVAL_PENDING', 'SORT' => 150, 'NAMES' => ['ru' => 'Ожидает согласования', 'en' => 'Approval pending']],
            'AP' => ['XML_ID' => 'APPROVED', 'SORT' => 160, 'NAMES' => ['ru' => 'Согласован', 'en' => 'Approved']],
            'RJ' => ['XML_ID' => 'REJECTED', 'SORT' => 170, 'NAMES' => ['ru' => 'Отклонён', 'en' => 'Rejected']],
            'P' => ['XML_ID' => '', 'SORT' => 200, 'NAMES' => ['ru' => 'Оплачен', 'en' => 'Paid']],
            'F' => ['XML_ID' => '', 'SORT' => 300, 'NAMES' => ['ru' => 'Выполнен', 'en' => 'Completed']],
        ];
    }

    /** @param array<string, mixed> $fields */
    public function add(string $block, array $fields): int
    {
        return (int)$this->call('b2bsync.item.add', ['HLBLOCK' => $block, 'FIELDS' => $fields]);
    }

    /** The ID of an enumeration item by its code. */
    public function item(string $block, string $field, string $code): int
    {
        foreach ($this->call('b2bsync.hlblock.field.list', ['HLBLOCK_ID' => $this->blockId($block)]) as $f) {
            if ($f['FIELD_NAME'] === $field) {
                foreach ($f['LIST'] as $item) {
                    if ($item['XML_ID'] === $code) {
                        return (int)$item['ID'];
                    }
                }
            }
        }
        throw new \LogicException("no $code in $block.$field");
    }

    public function blockId(string $name): int
    {
        return (int)$this->call('b2bsync.hlblock.get', ['NAME' => $name])['ID'];
    }

    public function at(string $modify): string
    {
        return (new \DateTimeImmutable(self::NOW))->modify($modify)->format(\DATE_ATOM);
    }

    private function user(int $id, string $name, string $last, string $email, string $lang = 'ru'): void
    {
        $this->site->users[$id] = ['ID' => $id, 'LOGIN' => $email, 'EMAIL' => $email, 'NAME' => $name, 'LAST_NAME' => $last, 'ACTIVE' => true, 'GROUP_IDS' => [3, 4], 'LANGUAGE_ID' => $lang];
    }

    public function member(int $company, int $user, string $role, bool $active = true): int
    {
        return $this->add('B2bCompanyUsers', [
            'UF_COMPANY_ID' => $company,
            'UF_USER_ID' => $user,
            'UF_ROLE' => $this->item('B2bCompanyUsers', 'UF_ROLE', $role),
            'UF_ACTIVE' => $active,
            'UF_CREATED_AT' => $this->at('-200 days'),
        ]);
    }

    private function seed(): void
    {
        $this->user(self::OWNER, 'Ольга', 'Владимирова', 'olga@romashka.example');
        $this->user(self::BUYER, 'Борис', 'Закупкин', 'boris@romashka.example');
        $this->user(self::ACCOUNTANT, 'Анна', 'Счётова', 'anna@romashka.example', 'en');
        $this->user(self::VIEWER, 'Виктор', 'Смотров', 'victor@romashka.example');
        $this->user(self::MANAGER, 'Мария', 'Менеджерова', 'maria@shop.example');
        $this->user(self::FORMER, 'Дмитрий', 'Бывший', 'dmitry@romashka.example');
        $this->user(self::OTHER_OWNER, 'Павел', 'Векторов', 'pavel@vector.example');

        $this->add('B2bCompanies', ['UF_XML_ID' => 'c0a80001-0000-4000-8000-000000000001', 'UF_NAME' => 'ООО «Ромашка»', 'UF_INN' => '7701234567', 'UF_ACTIVE' => true, 'UF_MANAGER_ID' => self::MANAGER]);
        $this->add('B2bCompanies', ['UF_XML_ID' => 'c0a80001-0000-4000-8000-000000000002', 'UF_NAME' => 'АО «Вектор»', 'UF_INN' => '7807654321', 'UF_ACTIVE' => true]);
        $this->member(self::COMPANY, self::OWNER, 'owner');
        $this->member(self::COMPANY, self::BUYER, 'buyer');
        $this->member(self::COMPANY, self::ACCOUNTANT, 'accountant');
        $this->member(self::COMPANY, self::VIEWER, 'viewer');
        $this->member(self::COMPANY, self::FORMER, 'buyer', false);
        $this->member(self::OTHER_COMPANY, self::OTHER_OWNER, 'owner');
        $this->member(self::OTHER_COMPANY, self::OWNER, 'buyer');

        $this->add('B2bCreditStatus', [
            'UF_COMPANY_ID' => self::COMPANY, 'UF_CREDIT_LIMIT' => 500000, 'UF_CREDIT_USED' => 380000.5,
            'UF_OVERDUE_AMOUNT' => 25000, 'UF_OVERDUE_SINCE' => '2026-10-30', 'UF_MONTH_ORDERS_AMOUNT' => 120000,
            'UF_CURRENCY' => 'RUB', 'UF_SOURCE_AT' => $this->at('-1 hour'), 'UF_SYNCED_AT' => $this->at('-50 minutes'),
            'UF_ORDER_BLOCKED' => true, 'UF_BLOCK_REASON' => 'Долг 25 000 ₽ не оплачен с 30.10.2026',
        ]);
        $this->add('B2bCreditStatus', [
            'UF_COMPANY_ID' => self::OTHER_COMPANY, 'UF_CREDIT_LIMIT' => 100000, 'UF_CREDIT_USED' => 10000,
            'UF_OVERDUE_AMOUNT' => 0, 'UF_MONTH_ORDERS_AMOUNT' => 10000, 'UF_CURRENCY' => 'RUB',
            'UF_SOURCE_AT' => $this->at('-10 hours'), 'UF_SYNCED_AT' => $this->at('-10 hours'), 'UF_ORDER_BLOCKED' => false,
        ]);

        $products = [
            ['Перчатки нитриловые, 100 шт.', 'GLV-100', 'уп'],
            ['Бумага А4, 500 листов', 'PAP-A4', 'пач'],
            ['Картридж HP 26A', 'HP-26A', 'шт'],
            ['Вода питьевая 19 л', 'WTR-19', 'шт'],
            ['Клейкая лента 48 мм', 'TAPE-48', 'шт'],
        ];
        $authors = [self::BUYER, self::OWNER, self::BUYER, self::FORMER];
        for ($i = 1; $i <= 25; $i++) {
            $id = 1000 + $i;
            $product = $products[$i % count($products)];
            $basket = [
                ['NAME' => $product[0], 'PRODUCT_XML_ID' => 'p-' . $i, 'PROPS' => ['CML2_ARTICLE' => $product[1]], 'QUANTITY' => 2 + $i % 5, 'PRICE' => 350.0 + 10 * $i, 'MEASURE' => $product[2]],
            ];
            if ($id === self::OLD_ORDER) {
                $basket[] = ['NAME' => 'Стеллаж металлический 5 полок', 'PRODUCT_XML_ID' => 'c3f1-77', 'PROPS' => ['CML2_ARTICLE' => self::ARTICLE], 'QUANTITY' => 4, 'PRICE' => 8900.0, 'MEASURE' => 'шт'];
            }
            $total = array_sum(array_map(static fn (array $l): float => $l['PRICE'] * $l['QUANTITY'], $basket));
            $status = match ($id) {
                self::PENDING_ORDER => 'PA',
                self::REJECTED_ORDER => 'RJ',
                self::APPROVED_ORDER => 'AP',
                default => $i < 18 ? 'F' : 'P',
            };
            $this->site->addOrder([
                'ID' => $id,
                'ACCOUNT_NUMBER' => 'RM-' . $id,
                'DATE_INSERT' => (new \DateTimeImmutable(self::NOW))->modify('-' . (4 * (26 - $i)) . ' days'),
                'STATUS_ID' => $status,
                'PRICE' => $total,
                'USER_ID' => $authors[$i % count($authors)],
                'RESPONSIBLE_ID' => self::MANAGER,
                'COMPANY_ID' => self::COMPANY,
                'BASKET' => $basket,
            ]);
        }
        $this->site->orders[self::OLD_ORDER]['DATE_INSERT'] = (new \DateTimeImmutable(self::NOW))->modify('-92 days');
        $this->site->orders[self::PENDING_ORDER]['USER_ID'] = self::BUYER;
        foreach ([[2001, 'ART-7731'], [2002, 'VEC-1'], [2003, 'VEC-2']] as [$id, $article]) {
            $this->site->addOrder([
                'ID' => $id, 'ACCOUNT_NUMBER' => 'VK-' . $id, 'DATE_INSERT' => (new \DateTimeImmutable(self::NOW))->modify('-' . ($id - 1990) . ' days'),
                'STATUS_ID' => 'N', 'PRICE' => 1200.0, 'USER_ID' => self::OTHER_OWNER, 'COMPANY_ID' => self::OTHER_COMPANY,
                'BASKET' => [['NAME' => 'Товар ' . $article, 'PRODUCT_XML_ID' => 'v-' . $id, 'PROPS' => ['CML2_ARTICLE' => $article], 'QUANTITY' => 1, 'PRICE' => 1200.0, 'MEASURE' => 'шт']],
            ]);
        }
        $this->events();
        $this->comments();
        $this->documents();
        $this->notifications();
        $this->invites();
        $this->site->options['link_secret'] = self::LINK_SECRET;
        $this->site->options['link_ttl'] = '3600';
        $this->site->preferences[self::OWNER] = self::COMPANY;
    }

    private function event(int $order, ?string $old, string $new, ?int $user, string $when): void
    {
        $this->add('B2bOrderEvents', ['UF_ORDER_ID' => $order, 'UF_OLD_STATUS' => $old, 'UF_NEW_STATUS' => $new, 'UF_USER_ID' => $user, 'UF_CREATED_AT' => $when]);
    }

    private function events(): void
    {
        $this->event(self::APPROVED_ORDER, null, 'N', self::BUYER, $this->at('-16 days'));
        $this->event(self::APPROVED_ORDER, 'N', 'PA', null, $this->at('-16 days +1 second'));
        $this->event(self::APPROVED_ORDER, 'PA', 'AP', self::OWNER, $this->at('-15 days'));
        $this->event(self::REJECTED_ORDER, null, 'N', self::OWNER, $this->at('-12 days'));
        $this->event(self::REJECTED_ORDER, 'N', 'PA', null, $this->at('-12 days +1 second'));
        $this->event(self::REJECTED_ORDER, 'PA', 'RJ', self::OWNER, $this->at('-11 days'));
        $this->event(self::PENDING_ORDER, null, 'N', self::BUYER, $this->at('-8 days'));
        $this->event(self::PENDING_ORDER, 'N', 'PA', null, $this->at('-8 days +1 second'));
        $this->event(self::OLD_ORDER, null, 'N', self::BUYER, $this->at('-92 days'));
        $this->event(self::OLD_ORDER, 'N', 'F', self::MANAGER, $this->at('-85 days'));
    }

    private function comments(): void
    {
        $comment = fn (int $order, int $user, string $text, string $when, bool $internal = false): int => $this->add('OrderComments', [
            'UF_ORDER_ID' => $order, 'UF_USER_ID' => $user, 'UF_TEXT' => $text, 'UF_CREATED_AT' => $when, 'UF_IS_INTERNAL' => $internal,
        ]);
        $comment(self::REJECTED_ORDER, self::OWNER, 'Дорого, закажем у другого поставщика', $this->at('-11 days -30 seconds'));
        $comment(self::PENDING_ORDER, self::BUYER, 'Нужно до пятницы, склад пуст.', $this->at('-8 days +2 minutes'));
        $comment(self::PENDING_ORDER, self::MANAGER, 'Клиент просрочил оплату — не отгружать до согласования.', $this->at('-3 days'), true);
        $comment(self::PENDING_ORDER, self::MANAGER, 'Резерв на складе до пятницы держим.', $this->at('-3 days +1 minute'));
    }

    private function documents(): void
    {
        $type = fn (string $code): int => $this->item('B2bDocuments', 'UF_DOC_TYPE', $code);
        $doc = fn (array $f): int => $this->add('B2bDocuments', $f + ['UF_COMPANY_ID' => self::COMPANY, 'UF_CURRENCY' => 'RUB', 'UF_SYNCED_AT' => $this->at('-1 day')]);
        // attach mode: the PDF itself in UF_FILE_ID
        $doc(['UF_XML_ID' => 'd0c00001-0000-4000-8000-000000000001', 'UF_DOC_TYPE' => $type('invoice'), 'UF_NUMBER' => 'СЧ-00412', 'UF_DATE' => '2026-11-20', 'UF_AMOUNT' => 18450, 'UF_ORDER_ID' => self::PENDING_ORDER,
            'UF_FILE_ID' => ['fileData' => ['invoice-412.pdf', base64_encode("%PDF-1.4\n% invoice 412\n")]]]);
        // upload mode: a file under the site's upload folder
        $doc(['UF_XML_ID' => 'd0c00001-0000-4000-8000-000000000002', 'UF_DOC_TYPE' => $type('waybill'), 'UF_NUMBER' => 'ТН-00098', 'UF_DATE' => '2026-08-25', 'UF_AMOUNT' => 37560, 'UF_ORDER_ID' => self::OLD_ORDER,
            'UF_EXTERNAL_URL' => '/upload/b2b/docs/1/waybill-98.pdf']);
        $this->site->uploads['/upload/b2b/docs/1/waybill-98.pdf'] = "%PDF-1.4\n% waybill 98\n";
        // link mode: b2bsync's download endpoint streams it from 1C
        $doc(['UF_XML_ID' => 'd0c00001-0000-4000-8000-000000000003', 'UF_DOC_TYPE' => $type('reconciliation'), 'UF_NUMBER' => 'АС-2026-10', 'UF_DATE' => '2026-11-01', 'UF_AMOUNT' => 380000.5,
            'UF_EXTERNAL_URL' => 'https://b2b.example.ru/documents/d0c00001-0000-4000-8000-000000000003']);
        $doc(['UF_XML_ID' => 'd0c00001-0000-4000-8000-000000000004', 'UF_DOC_TYPE' => $type('upd'), 'UF_NUMBER' => 'УПД-00077', 'UF_DATE' => '2026-10-15', 'UF_AMOUNT' => 9900, 'UF_DELETED' => true,
            'UF_EXTERNAL_URL' => '/upload/b2b/docs/1/upd-77.pdf']);
        $doc(['UF_XML_ID' => 'd0c00001-0000-4000-8000-000000000005', 'UF_DOC_TYPE' => $type('act'), 'UF_NUMBER' => 'АКТ-00031', 'UF_DATE' => '2026-09-30', 'UF_AMOUNT' => 4500]);
        $this->add('B2bDocuments', ['UF_XML_ID' => 'd0c00002-0000-4000-8000-000000000001', 'UF_COMPANY_ID' => self::OTHER_COMPANY, 'UF_DOC_TYPE' => $type('invoice'), 'UF_NUMBER' => 'ВК-001', 'UF_DATE' => '2026-11-10',
            'UF_EXTERNAL_URL' => '/upload/b2b/docs/2/vk-001.pdf']);
        $this->site->uploads['/upload/b2b/docs/2/vk-001.pdf'] = "%PDF-1.4\n% vector\n";
    }

    private function notifications(): void
    {
        $note = fn (int $user, string $type, string $text, string $link, bool $read, string $when): int => $this->add('B2bNotifications', [
            'UF_USER_ID' => $user, 'UF_TYPE' => $type, 'UF_TEXT' => $text, 'UF_LINK' => $link, 'UF_IS_READ' => $read, 'UF_CREATED_AT' => $when,
            'UF_DEDUP_KEY' => $type . ':' . $user . ':' . $when,
        ]);
        $note(self::BUYER, 'B2B_ORDER_APPROVED', 'Заказ RM-1022 согласован', '/cabinet/orders/1022/', true, $this->at('-15 days'));
        $note(self::BUYER, 'B2B_ORDER_COMMENT', 'Менеджер ответил по заказу RM-1024', '/cabinet/orders/1024/', false, $this->at('-3 days'));
        $note(self::BUYER, 'B2B_CREDIT_BLOCKED', 'Заказы компании заблокированы: просроченная задолженность', '/cabinet/', false, $this->at('-2 days'));
        $note(self::OWNER, 'B2B_ORDER_APPROVAL_REQUIRED', 'Заказ RM-1024 ждёт вашего согласования', '/cabinet/orders/1024/', false, $this->at('-4 days'));
        $note(self::OWNER, 'B2B_DOCUMENT_READY', 'Новый документ: счёт СЧ-00412', 'javascript:alert(1)', false, $this->at('-4 days'));
        $note(self::ACCOUNTANT, 'B2B_DOCUMENT_READY', 'New document: invoice СЧ-00412', '/cabinet/documents/', false, $this->at('-4 days'));
    }

    private function invites(): void
    {
        $status = fn (string $code): int => $this->item('B2bInvites', 'UF_STATUS', $code);
        $role = fn (string $code): int => $this->item('B2bInvites', 'UF_ROLE', $code);
        $this->add('B2bInvites', ['UF_COMPANY_ID' => self::COMPANY, 'UF_EMAIL' => 'new.buyer@romashka.example', 'UF_ROLE' => $role('buyer'), 'UF_TOKEN_HASH' => str_repeat('a', 64),
            'UF_STATUS' => $status('pending'), 'UF_INVITED_BY' => self::OWNER, 'UF_EXPIRES_AT' => $this->at('+2 days'), 'UF_CREATED_AT' => $this->at('-1 day')]);
        $this->add('B2bInvites', ['UF_COMPANY_ID' => self::COMPANY, 'UF_EMAIL' => 'late@romashka.example', 'UF_ROLE' => $role('viewer'), 'UF_TOKEN_HASH' => str_repeat('b', 64),
            'UF_STATUS' => $status('expired'), 'UF_INVITED_BY' => self::OWNER, 'UF_EXPIRES_AT' => $this->at('-5 days'), 'UF_CREATED_AT' => $this->at('-8 days')]);
        $this->add('B2bInvites', ['UF_COMPANY_ID' => self::OTHER_COMPANY, 'UF_EMAIL' => 'x@vector.example', 'UF_ROLE' => $role('buyer'), 'UF_TOKEN_HASH' => str_repeat('c', 64),
            'UF_STATUS' => $status('pending'), 'UF_INVITED_BY' => self::OTHER_OWNER, 'UF_EXPIRES_AT' => $this->at('+2 days'), 'UF_CREATED_AT' => $this->at('-1 day')]);
    }
}
