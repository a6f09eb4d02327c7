<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\MailPort;
use Bitrix\Main\Application;
use Bitrix\Main\Config\Option;
use Bitrix\Main\DB\SqlQueryException;
use Bitrix\Main\Mail\Event;
use Bitrix\Main\Type\DateTime;

/**
 * Mail event types (CEventType), templates (CEventMessage), the bridge's template records (module
 * option "mail_templates") and the queue (\Bitrix\Main\Mail\Event::send(), which adds a b_event
 * row for the mail agent). Docs: https://dev.1c-bitrix.ru/api_help/main/reference/ceventtype/index.php,
 * https://dev.1c-bitrix.ru/api_help/main/reference/ceventmessage/index.php,
 * https://dev.1c-bitrix.ru/api_help/main/reference/cevent/send.php (D7 twin Mail\Event::send).
 */
final class Mail implements MailPort
{
    public const MODULE_ID = 'b2bsync.bridge';
    private const RECORDS_OPTION = 'mail_templates';

    public function types(?string $eventName = null): array
    {
        $filter = $eventName === null ? [] : ['TYPE_ID' => $eventName];
        $out = [];
        $rows = \CEventType::GetList($filter, ['ID' => 'ASC']);
        while ($row = $rows->Fetch()) {
            $out[] = [
                'ID' => (int)$row['ID'],
                'EVENT_NAME' => (string)$row['EVENT_NAME'],
                'LID' => (string)$row['LID'],
                'NAME' => (string)$row['NAME'],
                'DESCRIPTION' => (string)$row['DESCRIPTION'],
                'SORT' => (int)$row['SORT'],
            ];
        }
        usort($out, static fn (array $a, array $b): int => $a['ID'] <=> $b['ID']);
        return $out;
    }

    public function addType(array $type): int
    {
        $result = (new \CEventType())->Add($type);
        if (!$result) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'CEventType::Add failed');
        }
        foreach ($this->types($type['EVENT_NAME']) as $found) {
            if ($found['LID'] === $type['LID']) {
                return $found['ID'];
            }
        }
        throw ApiError::of(ErrorCode::CORE, 'the new event type is not there');
    }

    public function updateType(int $id, array $type): void
    {
        \CEventType::Update(['ID' => $id], [
            'NAME' => $type['NAME'],
            'DESCRIPTION' => $type['DESCRIPTION'],
            'SORT' => $type['SORT'],
        ]);
    }

    public function templates(?string $eventName = null): array
    {
        $by = 'id';
        $order = 'asc';
        $filter = $eventName === null ? [] : ['TYPE_ID' => $eventName];
        $out = [];
        $rows = \CEventMessage::GetList($by, $order, $filter);
        while ($row = $rows->Fetch()) {
            $sites = [];
            $siteRows = \CEventMessage::GetSite((int)$row['ID']);
            while ($site = $siteRows->Fetch()) {
                // D7 rows (EventMessageSiteTable) name the site SITE_ID; older cores answered LID
                $sites[] = (string)($site['SITE_ID'] ?? $site['LID']);
            }
            sort($sites);
            $out[] = [
                'ID' => (int)$row['ID'],
                'EVENT_NAME' => (string)$row['EVENT_NAME'],
                'LID' => $sites,
                'LANGUAGE_ID' => (string)($row['LANGUAGE_ID'] ?? ''),
                'ACTIVE' => $row['ACTIVE'] === 'Y',
                'EMAIL_FROM' => (string)$row['EMAIL_FROM'],
                'EMAIL_TO' => (string)$row['EMAIL_TO'],
                'BCC' => (string)$row['BCC'],
                'SUBJECT' => (string)$row['SUBJECT'],
                'MESSAGE' => (string)$row['MESSAGE'],
                'BODY_TYPE' => (string)$row['BODY_TYPE'],
            ];
        }
        return $out;
    }

    public function addTemplate(array $template): int
    {
        $message = new \CEventMessage();
        $fields = ['ACTIVE' => $template['ACTIVE'] ? 'Y' : 'N'] + $template;
        if (($fields['LANGUAGE_ID'] ?? '') === '') {
            // left NULL: Event::handleEvent() sends a template of no language for every event
            // language, but one whose LANGUAGE_ID is '' for none
            unset($fields['LANGUAGE_ID']);
        }
        $id = $message->Add($fields);
        if (!$id) {
            throw ApiError::of(ErrorCode::ARGUMENT, trim(strip_tags((string)$message->LAST_ERROR)) ?: 'CEventMessage::Add failed');
        }
        return (int)$id;
    }

    public function updateTemplate(int $id, array $template): void
    {
        $message = new \CEventMessage();
        if (!$message->Update($id, $template)) {
            throw ApiError::of(ErrorCode::ARGUMENT, trim(strip_tags((string)$message->LAST_ERROR)) ?: 'CEventMessage::Update failed');
        }
    }

    public function records(): array
    {
        $stored = json_decode(Option::get(self::MODULE_ID, self::RECORDS_OPTION, '{}'), true);
        $out = [];
        foreach (is_array($stored) ? $stored : [] as $identity => $record) {
            $out[(string)$identity] = ['ID' => (int)$record['ID'], 'FINGERPRINT' => (string)$record['FINGERPRINT']];
        }
        return $out;
    }

    public function saveRecord(string $identity, int $templateId, string $fingerprint): void
    {
        $records = $this->records();
        $records[$identity] = ['ID' => $templateId, 'FINGERPRINT' => $fingerprint];
        Option::set(self::MODULE_ID, self::RECORDS_OPTION, json_encode($records, JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR));
    }

    /**
     * The key row and the b_event row are written in one transaction; a concurrent second
     * sender of the same key waits on the primary key and then finds the first one's event.
     */
    public function send(string $eventName, string $siteId, array $fields, ?string $dedupKey, ?string $languageId = null): array
    {
        $hash = $dedupKey === null ? null : hash('sha256', $dedupKey);
        if ($hash !== null && ($known = $this->known($hash)) !== null) {
            return ['ID' => $known, 'DUPLICATE' => true];
        }
        $connection = Application::getConnection();
        $connection->startTransaction();
        try {
            if ($hash !== null) {
                MailDedupTable::add(['DEDUP_HASH' => $hash, 'DEDUP_KEY' => $dedupKey, 'EVENT_ID' => 0, 'CREATED_AT' => new DateTime()]);
            }
            $result = Event::send(self::event($eventName, $siteId, $fields, $languageId));
            if (!$result->isSuccess()) {
                throw ApiError::of(ErrorCode::CORE, implode('; ', $result->getErrorMessages()));
            }
            $eventId = (int)$result->getId();
            if ($hash !== null) {
                MailDedupTable::update($hash, ['EVENT_ID' => $eventId]);
            }
            $connection->commitTransaction();
            return ['ID' => $eventId, 'DUPLICATE' => false];
        } catch (SqlQueryException $e) {
            $connection->rollbackTransaction();
            if ($hash !== null && str_contains($e->getMessage(), 'Duplicate entry') && ($known = $this->known($hash)) !== null) {
                return ['ID' => $known, 'DUPLICATE' => true];
            }
            throw $e;
        } catch (\Throwable $e) {
            $connection->rollbackTransaction();
            throw $e;
        }
    }

    /**
     * The b_event row for Event::send(). Its LANGUAGE_ID is what Event::handleEvent() filters the
     * templates by (that language or none); left out, every language's template sends a mail.
     * @param array<string, string> $fields
     * @return array<string, mixed>
     */
    public static function event(string $eventName, string $siteId, array $fields, ?string $languageId): array
    {
        $event = ['EVENT_NAME' => $eventName, 'LID' => $siteId, 'C_FIELDS' => $fields];
        if ($languageId !== null) {
            $event['LANGUAGE_ID'] = $languageId;
        }
        return $event;
    }

    private function known(string $hash): ?int
    {
        $row = MailDedupTable::getList(['select' => ['EVENT_ID'], 'filter' => ['=DEDUP_HASH' => $hash]])->fetch();
        return $row ? (int)$row['EVENT_ID'] : null;
    }
}
