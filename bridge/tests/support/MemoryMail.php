<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

/** Mail event types, templates, the bridge's template records and the queue of the MemorySite. */
trait MemoryMail
{
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
}
