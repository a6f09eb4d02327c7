<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\SitePort;
use Bitrix\Main\Loader;
use Bitrix\Main\Localization\LanguageTable;
use Bitrix\Main\SiteTable;

/**
 * Facts about the site, from D7 tables: SiteTable and LanguageTable (main module),
 * \Bitrix\Sale\Internals\PersonTypeTable when the sale module is installed.
 */
final class Site implements SitePort
{
    public function defaultSiteId(): string
    {
        $site = SiteTable::getList([
            'select' => ['LID'],
            'filter' => ['=ACTIVE' => 'Y'],
            'order' => ['DEF' => 'DESC', 'SORT' => 'ASC'],
            'limit' => 1,
        ])->fetch();
        return $site ? (string)$site['LID'] : 's1';
    }

    public function siteIds(): array
    {
        $out = [];
        $rows = SiteTable::getList(['select' => ['LID'], 'order' => ['SORT' => 'ASC']]);
        while ($row = $rows->fetch()) {
            $out[] = (string)$row['LID'];
        }
        return $out;
    }

    public function languages(): array
    {
        return $this->languageIds([]);
    }

    public function activeLanguages(): array
    {
        return $this->languageIds(['=ACTIVE' => 'Y']);
    }

    /**
     * @param array<string, string> $filter
     * @return list<string>
     */
    private function languageIds(array $filter): array
    {
        $out = [];
        $rows = LanguageTable::getList(['select' => ['LID'], 'filter' => $filter, 'order' => ['LID' => 'ASC']]);
        while ($row = $rows->fetch()) {
            $out[] = (string)$row['LID'];
        }
        return $out;
    }

    public function personTypes(): array
    {
        if (!Loader::includeModule('sale')) {
            return [];
        }
        $out = [];
        $rows = \Bitrix\Sale\Internals\PersonTypeTable::getList(['order' => ['ID' => 'ASC']]);
        while ($row = $rows->fetch()) {
            $out[] = [
                'ID' => (int)$row['ID'],
                'NAME' => (string)$row['NAME'],
                'CODE' => isset($row['CODE']) && $row['CODE'] !== '' ? (string)$row['CODE'] : null,
                'ACTIVE' => (string)($row['ACTIVE'] ?? 'Y'),
            ];
        }
        return $out;
    }

    /** The server's zone: Bitrix keeps dates in PHP's default time zone (date.timezone). */
    public function timezone(): \DateTimeZone
    {
        return new \DateTimeZone(date_default_timezone_get());
    }

    public function now(): \DateTimeImmutable
    {
        return new \DateTimeImmutable('now', $this->timezone());
    }
}
