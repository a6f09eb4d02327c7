<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\NoncePort;
use Bitrix\Main\Application;
use Bitrix\Main\DB\SqlQueryException;

/**
 * Core\NoncePort over HandoffNonceTable: claim() is one INSERT (the primary key refuses a second
 * one: DataManager::add() throws SqlQueryException on the duplicate), forget() one DELETE of the
 * rows whose expiry has passed.
 */
final class HandoffNonces implements NoncePort
{
    public function claim(string $nonce, int $expires): bool
    {
        try {
            return HandoffNonceTable::add(['NONCE' => $nonce, 'EXPIRES_AT' => $expires])->isSuccess();
        } catch (SqlQueryException) {
            return false;
        }
    }

    public function forget(int $now): void
    {
        $connection = Application::getConnection();
        $connection->queryExecute(
            'DELETE FROM ' . $connection->getSqlHelper()->quote(HandoffNonceTable::getTableName()) . ' WHERE EXPIRES_AT < ' . $now
        );
    }
}
