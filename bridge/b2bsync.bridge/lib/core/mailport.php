<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Mail event types, templates, the bridge's template records and the mail queue
 * (\B2bsync\Bridge\Mail with CEventType, CEventMessage, Option and Mail\Event; in memory in the
 * tests).
 *
 * A type: ID, EVENT_NAME, LID (language), NAME, DESCRIPTION, SORT. A template: ID, EVENT_NAME,
 * LID (list of site ids), LANGUAGE_ID, ACTIVE (bool), EMAIL_FROM, EMAIL_TO, BCC, SUBJECT, MESSAGE,
 * BODY_TYPE.
 */
interface MailPort
{
    /** @return list<array<string, mixed>> by ID */
    public function types(?string $eventName = null): array;

    /** @param array<string, mixed> $type */
    public function addType(array $type): int;

    /** @param array<string, mixed> $type */
    public function updateType(int $id, array $type): void;

    /** @return list<array<string, mixed>> by ID */
    public function templates(?string $eventName = null): array;

    /** @param array<string, mixed> $template */
    public function addTemplate(array $template): int;

    /** @param array<string, mixed> $template content keys only */
    public function updateTemplate(int $id, array $template): void;

    /** @return array<string, array{ID: int, FINGERPRINT: string}> template identity => record */
    public function records(): array;

    public function saveRecord(string $identity, int $templateId, string $fingerprint): void;

    /**
     * Queue the event (LANGUAGE_ID of b_event: $languageId, or none when null); with a dedup key,
     * atomically: a key seen before answers the first event's ID.
     * @param array<string, string> $fields
     * @return array{ID: int, DUPLICATE: bool}
     */
    public function send(string $eventName, string $siteId, array $fields, ?string $dedupKey, ?string $languageId = null): array;
}
