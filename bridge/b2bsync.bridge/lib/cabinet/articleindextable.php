<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Cabinet;

use B2bsync\Bridge\Core\ArticleIndex;
use Bitrix\Main\ORM\Data\DataManager;
use Bitrix\Main\ORM\Fields\IntegerField;
use Bitrix\Main\ORM\Fields\StringField;

/**
 * The article index's rows (B2bsync\Bridge\Core\ArticleIndex; table created by
 * install/db/mysql/cabinet.sql): the primary key (COMPANY_ID, ARTICLE, ORDER_ID) is the index the
 * cabinet's search reads, newest order first.
 */
final class ArticleIndexTable extends DataManager
{
    public static function getTableName(): string
    {
        return ArticleIndex::TABLE;
    }

    public static function getMap(): array
    {
        return [
            new IntegerField('COMPANY_ID', ['primary' => true]),
            new StringField('ARTICLE', ['primary' => true]),
            new IntegerField('ORDER_ID', ['primary' => true]),
        ];
    }
}
