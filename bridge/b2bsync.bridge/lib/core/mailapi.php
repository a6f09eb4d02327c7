<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** b2bsync.mail.* — event types, templates (guarded by TemplateGuard) and sending. */
final class MailApi
{
    public const MAX_DEDUP_KEY = 255;

    public function __construct(
        private readonly MailPort $mail,
        private readonly SitePort $site,
        private readonly AccessPolicy $policy,
    ) {
    }

    /** EVENT_NAME: well-formed, and a B2B_ event (AccessPolicy). */
    private function eventName(Params $params): string
    {
        $name = $params->string('EVENT_NAME');
        NameRules::eventName($name);
        $this->policy->eventName($name);
        return $name;
    }

    private function language(string $lid, string $what): string
    {
        if (!in_array($lid, $this->site->languages(), true)) {
            throw ApiError::of(ErrorCode::ARGUMENT, "$what: no language '$lid' on the site");
        }
        return $lid;
    }

    private function siteId(string $lid): string
    {
        if (!in_array($lid, $this->site->siteIds(), true)) {
            throw ApiError::of(ErrorCode::ARGUMENT, "LID: no site '$lid'");
        }
        return $lid;
    }

    private function hasType(string $eventName): bool
    {
        return $this->mail->types($eventName) !== [];
    }

    /** @return list<array<string, mixed>> */
    public function typeList(Params $params): array
    {
        $types = $this->mail->types($params->has('EVENT_NAME') ? $this->eventName($params) : null);
        return array_values(array_filter($types, static fn (array $t): bool => AccessPolicy::isB2bEvent((string)$t['EVENT_NAME'])));
    }

    /** @return array{ID: int, ACTION: string} */
    public function typeEnsure(Params $params): array
    {
        $eventName = $this->eventName($params);
        $lid = $this->language($params->string('LID'), 'LID');
        $name = $params->string('NAME');
        $description = $params->get('DESCRIPTION') !== null ? $params->string('DESCRIPTION') : null;
        $sort = $this->sort($params);
        foreach ($this->mail->types($eventName) as $found) {
            if ($found['LID'] !== $lid) {
                continue;
            }
            $wanted = [
                'NAME' => $name,
                'DESCRIPTION' => $description ?? $found['DESCRIPTION'],
                'SORT' => $sort ?? $found['SORT'],
            ];
            if ($wanted === ['NAME' => $found['NAME'], 'DESCRIPTION' => $found['DESCRIPTION'], 'SORT' => $found['SORT']]) {
                return ['ID' => (int)$found['ID'], 'ACTION' => 'unchanged'];
            }
            $this->mail->updateType((int)$found['ID'], $wanted + ['EVENT_NAME' => $eventName, 'LID' => $lid]);
            return ['ID' => (int)$found['ID'], 'ACTION' => 'updated'];
        }
        $id = $this->mail->addType([
            'EVENT_NAME' => $eventName,
            'LID' => $lid,
            'NAME' => $name,
            'DESCRIPTION' => $description ?? '',
            'SORT' => $sort ?? 100,
        ]);
        return ['ID' => $id, 'ACTION' => 'added'];
    }

    private function sort(Params $params): ?int
    {
        if (!$params->has('SORT')) {
            return null;
        }
        $raw = $params->get('SORT');
        if ($raw === 0 || $raw === '0') {
            return 0;
        }
        $value = Params::positiveInt($raw);
        if ($value === null) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'SORT must be a non-negative integer');
        }
        return $value;
    }

    /** @return list<array<string, mixed>> */
    public function templateList(Params $params): array
    {
        $records = $this->mail->records();
        $out = [];
        foreach ($this->mail->templates($params->has('EVENT_NAME') ? $this->eventName($params) : null) as $template) {
            if (!AccessPolicy::isB2bEvent((string)$template['EVENT_NAME'])) {
                continue;
            }
            $record = null;
            foreach ($records as $candidate) {
                if ($candidate['ID'] === (int)$template['ID']) {
                    $record = $candidate;
                }
            }
            $content = TemplateGuard::content($template);
            $out[] = [
                'ID' => (int)$template['ID'],
                'EVENT_NAME' => $template['EVENT_NAME'],
                'LID' => array_values($template['LID']),
                'LANGUAGE_ID' => (string)$template['LANGUAGE_ID'],
            ] + $content + [
                'MANAGED' => Params::yn($record !== null),
                'EDITED' => Params::yn($record !== null && $record['FINGERPRINT'] !== TemplateGuard::fingerprint($content)),
            ];
        }
        return $out;
    }

    /** @return array{ID: int, ACTION: string} */
    public function templateEnsure(Params $params): array
    {
        $desired = $this->desiredTemplate($params);
        $this->policy->template($desired);
        if (!$this->hasType($desired['EVENT_NAME'])) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "no mail event type {$desired['EVENT_NAME']}");
        }
        $identity = TemplateGuard::identity($desired['EVENT_NAME'], $desired['LID'], $desired['LANGUAGE_ID']);
        $record = $this->mail->records()[$identity] ?? null;
        $current = null;
        $others = [];
        foreach ($this->mail->templates($desired['EVENT_NAME']) as $template) {
            if ($record !== null && (int)$template['ID'] === $record['ID']) {
                $current = $template;
            } elseif (TemplateGuard::sameSlot($template, $desired['EVENT_NAME'], $desired['LID'], $desired['LANGUAGE_ID'])) {
                $others[] = $template;
            }
        }
        $decision = TemplateGuard::decide($record, $current, $desired, $others);
        $fingerprint = TemplateGuard::fingerprint(TemplateGuard::content($desired));
        if ($decision['ACTION'] === 'updated') {
            $this->mail->updateTemplate((int)$decision['ID'], TemplateGuard::content($desired));
            $this->mail->saveRecord($identity, (int)$decision['ID'], $fingerprint);
        } elseif ($decision['ACTION'] === 'added') {
            $decision['ID'] = $this->mail->addTemplate($desired);
            $this->mail->saveRecord($identity, $decision['ID'], $fingerprint);
        }
        return ['ID' => (int)$decision['ID'], 'ACTION' => $decision['ACTION']];
    }

    /** @return array<string, mixed> */
    private function desiredTemplate(Params $params): array
    {
        $eventName = $this->eventName($params);
        $sites = $this->sites($params->has('LID') ? $params->get('LID') : null);
        $languageId = $params->string('LANGUAGE_ID', false);
        if ($languageId !== '') {
            $this->language($languageId, 'LANGUAGE_ID');
        }
        $bodyType = $params->string('BODY_TYPE', false, 'text');
        if (!in_array($bodyType, ['text', 'html'], true)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'BODY_TYPE must be text or html');
        }
        $active = $params->has('ACTIVE') ? Params::flag($params->get('ACTIVE'), 'ACTIVE') : true;
        return [
            'EVENT_NAME' => $eventName,
            'LID' => $sites,
            'LANGUAGE_ID' => $languageId,
            'ACTIVE' => $active,
            'EMAIL_FROM' => $params->string('EMAIL_FROM', false, '#DEFAULT_EMAIL_FROM#'),
            'EMAIL_TO' => $params->string('EMAIL_TO'),
            'BCC' => $params->string('BCC', false),
            'SUBJECT' => $params->string('SUBJECT'),
            'MESSAGE' => $params->string('MESSAGE'),
            'BODY_TYPE' => $bodyType,
        ];
    }

    /** @return list<string> */
    private function sites(mixed $raw): array
    {
        $items = is_array($raw) ? $raw : [$raw];
        if ($items === [] || !array_is_list($items)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'LID must be a site id or a list of them');
        }
        $out = [];
        foreach ($items as $item) {
            if (!is_string($item)) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'LID must be a site id or a list of them');
            }
            $out[] = $this->siteId($item);
        }
        $out = array_values(array_unique($out));
        sort($out);
        return $out;
    }

    /**
     * Queue the event. With LANGUAGE_ID the mail agent uses only the templates of that language
     * (or of none); without it, the templates of every language — one mail per language.
     * @return array{ID: int, DUPLICATE: bool}
     */
    public function send(Params $params): array
    {
        $eventName = $this->eventName($params);
        $lid = $params->string('LID');
        $fields = [];
        foreach ($params->object('FIELDS', false) as $key => $value) {
            if (is_bool($value) || is_array($value) || is_object($value)) {
                throw ApiError::of(ErrorCode::ARGUMENT, "FIELDS.$key must be a string or a number");
            }
            $fields[$key] = self::text($value);
        }
        $dedupKey = null;
        if ($params->get('DEDUP_KEY') !== null) {
            $dedupKey = $params->string('DEDUP_KEY');
            $length = mb_strlen($dedupKey);
            if ($length < 1 || $length > self::MAX_DEDUP_KEY) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'DEDUP_KEY must be 1-' . self::MAX_DEDUP_KEY . ' characters');
            }
        }
        $this->siteId($lid);
        $languageId = $params->get('LANGUAGE_ID') !== null ? $this->language($params->string('LANGUAGE_ID'), 'LANGUAGE_ID') : null;
        if (!$this->hasType($eventName)) {
            throw ApiError::of(ErrorCode::NOT_FOUND, "no mail event type $eventName");
        }
        return $this->mail->send($eventName, $lid, $fields, $dedupKey, $languageId);
    }

    /** PHP's string conversion of a scalar, whole floats without ".0". */
    private static function text(mixed $value): string
    {
        if ($value === null) {
            return '';
        }
        if (is_float($value) && is_finite($value) && floor($value) === $value && abs($value) < 1e15) {
            return (string)(int)$value;
        }
        return (string)$value;
    }
}
