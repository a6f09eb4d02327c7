<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use Bitrix\Main\ORM\Data\DataManager;
use Bitrix\Main\ORM\Fields\IntegerField;
use Bitrix\Main\ORM\Fields\StringField;

/**
 * The login hand-off's used nonces (table created by install/db/mysql/handoff.sql): the nonce is
 * the primary key, so a second insert of one fails in the database — single use even when two
 * requests arrive at once.
 */
final class HandoffNonceTable extends DataManager
{
    public static function getTableName(): string
    {
        return 'b2bsync_bridge_handoff_nonce';
    }

    public static function getMap(): array
    {
        return [
            new StringField('NONCE', ['primary' => true]),
            new IntegerField('EXPIRES_AT', ['required' => true]),
        ];
    }
}
