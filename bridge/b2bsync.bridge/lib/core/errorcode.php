<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Error codes of the b2bsync REST scope and their HTTP statuses (bridge/contract/README.md).
 * The first four are \Bitrix\Rest\RestException's own constants.
 */
final class ErrorCode
{
    public const ARGUMENT = 'ERROR_ARGUMENT';
    public const NOT_FOUND = 'ERROR_NOT_FOUND';
    public const CORE = 'ERROR_CORE';
    public const METHOD_NOT_FOUND = 'ERROR_METHOD_NOT_FOUND';
    public const HLBLOCK_NAME = 'ERROR_HLBLOCK_NAME';
    public const HLBLOCK_TABLE_NAME = 'ERROR_HLBLOCK_TABLE_NAME';
    public const HLBLOCK_EXISTS = 'ERROR_HLBLOCK_EXISTS';
    public const FIELD_NAME = 'ERROR_FIELD_NAME';
    public const FIELD_EXISTS = 'ERROR_FIELD_EXISTS';
    public const FIELD_TYPE = 'ERROR_FIELD_TYPE';
    public const FIELD_IMMUTABLE = 'ERROR_FIELD_IMMUTABLE';
    public const INDEX_NAME = 'ERROR_INDEX_NAME';
    public const INDEX_CONFLICT = 'ERROR_INDEX_CONFLICT';
    public const INDEX_DUPLICATE_ROWS = 'ERROR_INDEX_DUPLICATE_ROWS';
    public const VALIDATION = 'ERROR_VALIDATION';
    public const DUPLICATE = 'ERROR_DUPLICATE';
    public const UPSERT_KEY = 'ERROR_UPSERT_KEY';
    public const UPSERT_AMBIGUOUS = 'ERROR_UPSERT_AMBIGUOUS';
    public const USER_EXISTS = 'ERROR_USER_EXISTS';
    public const USER_ADD = 'ERROR_USER_ADD';
    public const BUSY = 'ERROR_BUSY';
    public const ACCESS_DENIED = 'ERROR_ACCESS_DENIED';
    public const TEMPLATE_UNSAFE = 'ERROR_TEMPLATE_UNSAFE';

    private const STATUS = [
        self::NOT_FOUND => 404,
        self::METHOD_NOT_FOUND => 404,
        self::CORE => 500,
        self::BUSY => 503,
        self::ACCESS_DENIED => 403,
    ];

    public static function status(string $code): int
    {
        return self::STATUS[$code] ?? 400;
    }
}
