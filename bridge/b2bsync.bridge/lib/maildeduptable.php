<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use Bitrix\Main\ORM\Data\DataManager;
use Bitrix\Main\ORM\Fields\DatetimeField;
use Bitrix\Main\ORM\Fields\IntegerField;
use Bitrix\Main\ORM\Fields\StringField;

/**
 * The dedup keys of b2bsync.mail.send (table created by install/db/mysql/install.sql): one row per
 * key, its SHA-256 as the primary key so that a second insert of a key fails in the database.
 */
final class MailDedupTable extends DataManager
{
    public static function getTableName(): string
    {
        return 'b2bsync_bridge_mail_dedup';
    }

    public static function getMap(): array
    {
        return [
            new StringField('DEDUP_HASH', ['primary' => true]),
            new StringField('DEDUP_KEY', ['required' => true]),
            new IntegerField('EVENT_ID', ['required' => true]),
            new DatetimeField('CREATED_AT', ['required' => true]),
        ];
    }
}
