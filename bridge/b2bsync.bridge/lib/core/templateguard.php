<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * "Never overwrite an edited template" (bridge/contract/README.md, "Mail templates").
 *
 * The bridge records, per template identity (event, sorted sites, language), the ID of the
 * template it wrote and a fingerprint of the content it wrote. A template whose current content
 * no longer has that fingerprint was changed by someone else and is kept as it is.
 */
final class TemplateGuard
{
    public const CONTENT = ['ACTIVE', 'EMAIL_FROM', 'EMAIL_TO', 'BCC', 'SUBJECT', 'MESSAGE', 'BODY_TYPE'];

    /**
     * @param array<string, mixed> $template
     * @return array<string, string>
     */
    public static function content(array $template): array
    {
        $out = [];
        foreach (self::CONTENT as $key) {
            $value = $template[$key] ?? '';
            $out[$key] = $key === 'ACTIVE' ? Params::yn((bool)$value) : (string)$value;
        }
        return $out;
    }

    /** @param array<string, string> $content */
    public static function fingerprint(array $content): string
    {
        $values = [];
        foreach (self::CONTENT as $key) {
            $values[] = $content[$key];
        }
        return hash('sha256', json_encode($values, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_THROW_ON_ERROR));
    }

    /** @param list<string> $sites */
    public static function identity(string $eventName, array $sites, string $languageId): string
    {
        sort($sites);
        return $eventName . '|' . implode(',', $sites) . '|' . $languageId;
    }

    /**
     * @param array{ID: int, FINGERPRINT: string}|null $record what the bridge wrote last
     * @param array<string, mixed>|null $current the recorded template, if it still exists
     * @param array<string, mixed> $desired
     * @param list<array<string, mixed>> $others templates of the same event, site and language
     * @return array{ACTION: string, ID: ?int}
     */
    public static function decide(?array $record, ?array $current, array $desired, array $others): array
    {
        $wanted = self::fingerprint(self::content($desired));
        if ($record !== null && $current !== null) {
            if (self::fingerprint(self::content($current)) !== $record['FINGERPRINT']) {
                return ['ACTION' => 'kept', 'ID' => (int)$current['ID']];
            }
            if ($wanted === $record['FINGERPRINT']) {
                return ['ACTION' => 'unchanged', 'ID' => (int)$current['ID']];
            }
            return ['ACTION' => 'updated', 'ID' => (int)$current['ID']];
        }
        if ($others !== []) {
            return ['ACTION' => 'kept', 'ID' => min(array_map(static fn (array $t): int => (int)$t['ID'], $others))];
        }
        return ['ACTION' => 'added', 'ID' => null];
    }

    /**
     * Whether $template is one of "the same event, a shared site, the same language".
     * @param array<string, mixed> $template
     * @param list<string> $sites
     */
    public static function sameSlot(array $template, string $eventName, array $sites, string $languageId): bool
    {
        return $template['EVENT_NAME'] === $eventName
            && array_intersect($template['LID'], $sites) !== []
            && (string)$template['LANGUAGE_ID'] === $languageId;
    }
}
