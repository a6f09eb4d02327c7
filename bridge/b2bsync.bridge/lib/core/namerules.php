<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Naming rules checked before the core sees a name, so that a bad one gets the scope's own code.
 *
 * The HL rules are the core's: HighloadBlockTable::validateName() (regexp, 100 characters,
 * no 'Table' suffix in any case) and validateTableName() (regexp, 64 characters); field names as
 * CUserTypeEntity::CheckFields() (UF_, [0-9A-Z_], 4-50 characters) with the '_REF' suffix that
 * HighloadBlockTable::OnBeforeUserTypeAdd() reserves for references.
 */
final class NameRules
{
    public static function blockName(string $name): void
    {
        if (preg_match('/\A[A-Z][A-Za-z0-9]*\z/', $name) !== 1 || strlen($name) > 100) {
            throw ApiError::of(ErrorCode::HLBLOCK_NAME, 'NAME must match ^[A-Z][A-Za-z0-9]*$, 100 chars at most');
        }
        if (str_ends_with(strtolower($name), 'table')) {
            throw ApiError::of(ErrorCode::HLBLOCK_NAME, "NAME must not end in 'Table'");
        }
    }

    public static function tableName(string $name): void
    {
        if (preg_match('/\A[a-z0-9_]+\z/', $name) !== 1 || strlen($name) > 64) {
            throw ApiError::of(ErrorCode::HLBLOCK_TABLE_NAME, 'TABLE_NAME must match ^[a-z0-9_]+$, 64 chars at most');
        }
    }

    public static function fieldName(string $name): void
    {
        $length = strlen($name);
        if (
            !str_starts_with($name, 'UF_')
            || preg_match('/\A[0-9A-Z_]+\z/', $name) !== 1
            || $length < 4
            || $length > 50
            || str_ends_with($name, '_REF')
        ) {
            throw ApiError::of(ErrorCode::FIELD_NAME, 'FIELD_NAME must be UF_ + [0-9A-Z_], 4-50 chars, not ending in _REF');
        }
    }

    public static function indexName(string $name): void
    {
        if (preg_match('/\A[A-Za-z0-9_]{1,64}\z/', $name) !== 1 || strtoupper($name) === 'PRIMARY') {
            throw ApiError::of(ErrorCode::INDEX_NAME, 'index NAME must match ^[A-Za-z0-9_]{1,64}$, not PRIMARY');
        }
    }

    public static function eventName(string $name): void
    {
        if (preg_match('/\A[A-Z0-9_]{1,255}\z/', $name) !== 1) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'EVENT_NAME must match ^[A-Z0-9_]+$');
        }
    }

    public static function email(string $raw): string
    {
        $email = trim($raw);
        if (preg_match('/\A[^@\s]+@[^@\s]+\.[^@\s]+\z/u', $email) !== 1) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'EMAIL is not an e-mail address');
        }
        return $email;
    }
}
