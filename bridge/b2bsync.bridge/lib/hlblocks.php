<?php

declare(strict_types=1);

namespace B2bsync\Bridge;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\BlockPort;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\FieldSpec;
use B2bsync\Bridge\Core\IndexSql;
use Bitrix\Highloadblock\HighloadBlockLangTable;
use Bitrix\Highloadblock\HighloadBlockTable;
use Bitrix\Main\Application;
use Bitrix\Main\DB\SqlQueryException;

/**
 * HL-blocks, their user fields and indexes on a real site.
 *
 * Blocks: Bitrix\Highloadblock\HighloadBlockTable / HighloadBlockLangTable (D7;
 * https://dev.1c-bitrix.ru/api_d7/bitrix/highloadblock/highloadblocktable/index.php). The block's table is created
 * by HighloadBlockTable::add() itself; a field's column by the highloadblock module's
 * OnAfterUserTypeAdd handler when CUserTypeEntity::Add() runs.
 * Fields: CUserTypeEntity (https://dev.1c-bitrix.ru/api_help/main/reference/cusertypeentity/index.php),
 * enumeration items: CUserFieldEnum::SetEnumValues() (keys "nN" add, item IDs update).
 * Indexes: plain DDL through the D7 connection (Connection::queryExecute / query), MySQL only.
 */
final class HlBlocks implements BlockPort
{
    private const ENTITY_PREFIX = 'HLBLOCK_';

    public function blocks(): array
    {
        $langs = [];
        $rows = HighloadBlockLangTable::getList(['select' => ['ID', 'LID', 'NAME']]);
        while ($row = $rows->fetch()) {
            $langs[(int)$row['ID']][(string)$row['LID']] = (string)$row['NAME'];
        }
        $out = [];
        $rows = HighloadBlockTable::getList(['select' => ['ID', 'NAME', 'TABLE_NAME'], 'order' => ['ID' => 'ASC']]);
        while ($row = $rows->fetch()) {
            $id = (int)$row['ID'];
            $out[] = ['ID' => $id, 'NAME' => (string)$row['NAME'], 'TABLE_NAME' => (string)$row['TABLE_NAME'], 'LANG' => $langs[$id] ?? []];
        }
        return $out;
    }

    public function tableExists(string $tableName): bool
    {
        return Application::getConnection()->isTableExists($tableName);
    }

    public function addBlock(string $name, string $tableName, array $lang): int
    {
        $result = HighloadBlockTable::add(['NAME' => $name, 'TABLE_NAME' => $tableName]);
        if (!$result->isSuccess()) {
            throw ApiError::of(ErrorCode::HLBLOCK_EXISTS, implode('; ', $result->getErrorMessages()));
        }
        $id = (int)$result->getId();
        $this->setBlockLang($id, $lang);
        return $id;
    }

    public function setBlockLang(int $blockId, array $lang): void
    {
        foreach ($lang as $lid => $name) {
            $primary = ['ID' => $blockId, 'LID' => $lid];
            $exists = HighloadBlockLangTable::getList(['filter' => ['=ID' => $blockId, '=LID' => $lid]])->fetch();
            $result = $exists
                ? HighloadBlockLangTable::update($primary, ['NAME' => $name])
                : HighloadBlockLangTable::add($primary + ['NAME' => $name]);
            if (!$result->isSuccess()) {
                throw ApiError::of(ErrorCode::ARGUMENT, implode('; ', $result->getErrorMessages()));
            }
        }
    }

    public function fields(int $blockId): array
    {
        $out = [];
        $rows = \CUserTypeEntity::GetList(['SORT' => 'ASC', 'ID' => 'ASC'], ['ENTITY_ID' => self::ENTITY_PREFIX . $blockId]);
        while ($row = $rows->Fetch()) {
            $field = $this->field((int)$row['ID']);
            if ($field !== null) {
                $out[] = $field;
            }
        }
        return $out;
    }

    /**
     * CUserTypeEntity::GetByID() returns the labels of every language as arrays and the
     * SETTINGS already unserialized.
     */
    public function field(int $fieldId): ?array
    {
        $row = \CUserTypeEntity::GetByID($fieldId);
        if (!is_array($row) || preg_match('/\AHLBLOCK_([0-9]+)\z/', (string)$row['ENTITY_ID'], $m) !== 1) {
            return null;
        }
        $labels = [];
        foreach (FieldSpec::LABELS as $kind) {
            $texts = [];
            foreach ((array)($row[$kind] ?? []) as $lid => $text) {
                if ((string)$text !== '') {
                    $texts[(string)$lid] = (string)$text;
                }
            }
            if ($texts !== []) {
                $labels[$kind] = $texts;
            }
        }
        $items = [];
        if ($row['USER_TYPE_ID'] === 'enumeration') {
            $enum = \CUserFieldEnum::GetList(['SORT' => 'ASC', 'ID' => 'ASC'], ['USER_FIELD_ID' => $fieldId]);
            while ($item = $enum->Fetch()) {
                $items[] = [
                    'ID' => (int)$item['ID'],
                    'VALUE' => (string)$item['VALUE'],
                    'XML_ID' => (string)$item['XML_ID'],
                    'SORT' => (int)$item['SORT'],
                    'DEF' => $item['DEF'] === 'Y',
                ];
            }
        }
        return [
            'ID' => (int)$row['ID'],
            'HLBLOCK_ID' => (int)$m[1],
            'FIELD_NAME' => (string)$row['FIELD_NAME'],
            'USER_TYPE_ID' => (string)$row['USER_TYPE_ID'],
            'MULTIPLE' => $row['MULTIPLE'] === 'Y',
            'MANDATORY' => $row['MANDATORY'] === 'Y',
            'SORT' => (int)$row['SORT'],
            'XML_ID' => ($row['XML_ID'] ?? '') === '' ? null : (string)$row['XML_ID'],
            'SHOW_FILTER' => (string)($row['SHOW_FILTER'] ?: 'N'),
            'SHOW_IN_LIST' => $row['SHOW_IN_LIST'] !== 'N',
            'EDIT_IN_LIST' => $row['EDIT_IN_LIST'] !== 'N',
            'IS_SEARCHABLE' => $row['IS_SEARCHABLE'] === 'Y',
            'SETTINGS' => is_array($row['SETTINGS'] ?? null) ? $row['SETTINGS'] : [],
            'LABELS' => $labels,
            'LIST' => $items,
        ];
    }

    public function typeExists(string $userTypeId): bool
    {
        global $USER_FIELD_MANAGER;
        return is_array($USER_FIELD_MANAGER->GetUserType($userTypeId));
    }

    public function addField(int $blockId, array $field): int
    {
        global $APPLICATION;
        $entity = new \CUserTypeEntity();
        $id = $entity->Add(self::entityFields($field) + [
            'ENTITY_ID' => self::ENTITY_PREFIX . $blockId,
            'FIELD_NAME' => $field['FIELD_NAME'],
            'USER_TYPE_ID' => $field['USER_TYPE_ID'],
            'MULTIPLE' => $field['MULTIPLE'] ? 'Y' : 'N',
        ]);
        if (!$id) {
            $error = $APPLICATION->GetException();
            throw ApiError::of(ErrorCode::ARGUMENT, $error ? $error->GetString() : 'CUserTypeEntity::Add failed');
        }
        $this->setItems((int)$id, $field['LIST']);
        return (int)$id;
    }

    public function updateField(array $before, array $after): void
    {
        global $APPLICATION;
        $entity = new \CUserTypeEntity();
        if (!$entity->Update((int)$before['ID'], self::entityFields($after))) {
            $error = $APPLICATION->GetException();
            throw ApiError::of(ErrorCode::ARGUMENT, $error ? $error->GetString() : 'CUserTypeEntity::Update failed');
        }
        if ($after['LIST'] !== $before['LIST']) {
            $this->setItems((int)$before['ID'], $after['LIST']);
        }
    }

    /**
     * The CUserTypeEntity fields of a definition. Every label kind is sent complete: Update()
     * replaces all of a field's labels whenever one is sent.
     * @param array<string, mixed> $field
     * @return array<string, mixed>
     */
    private static function entityFields(array $field): array
    {
        $out = [
            'XML_ID' => $field['XML_ID'] ?? '',
            'SORT' => $field['SORT'],
            'MANDATORY' => $field['MANDATORY'] ? 'Y' : 'N',
            'SHOW_FILTER' => $field['SHOW_FILTER'],
            'SHOW_IN_LIST' => $field['SHOW_IN_LIST'] ? 'Y' : 'N',
            'EDIT_IN_LIST' => $field['EDIT_IN_LIST'] ? 'Y' : 'N',
            'IS_SEARCHABLE' => $field['IS_SEARCHABLE'] ? 'Y' : 'N',
            'SETTINGS' => $field['SETTINGS'],
        ];
        foreach (FieldSpec::LABELS as $kind) {
            $out[$kind] = $field['LABELS'][$kind] ?? [];
        }
        return $out;
    }

    /** @param list<array<string, mixed>> $items */
    private function setItems(int $fieldId, array $items): void
    {
        if ($items === []) {
            return;
        }
        $values = [];
        foreach ($items as $n => $item) {
            $values[$item['ID'] === null ? 'n' . $n : (int)$item['ID']] = [
                'VALUE' => $item['VALUE'],
                'XML_ID' => $item['XML_ID'],
                'SORT' => $item['SORT'],
                'DEF' => $item['DEF'] ? 'Y' : 'N',
            ];
        }
        $enum = new \CUserFieldEnum();
        if (!$enum->SetEnumValues($fieldId, $values)) {
            global $APPLICATION;
            $error = $APPLICATION->GetException();
            throw ApiError::of(ErrorCode::ARGUMENT, $error ? $error->GetString() : 'CUserFieldEnum::SetEnumValues failed');
        }
    }

    public function indexes(array $block): array
    {
        $connection = Application::getConnection();
        $rows = $connection->query('SHOW INDEX FROM ' . $connection->getSqlHelper()->quote($block['TABLE_NAME']));
        $all = [];
        while ($row = $rows->fetch()) {
            $all[] = $row;
        }
        return IndexSql::fromShowIndex($all);
    }

    public function createIndex(array $block, string $name, array $columns, bool $unique): void
    {
        $connection = Application::getConnection();
        $helper = $connection->getSqlHelper();
        $sql = IndexSql::create(static fn (string $id): string => $helper->quote($id), $block['TABLE_NAME'], $name, $columns, $unique);
        try {
            $connection->queryExecute($sql);
        } catch (SqlQueryException $e) {
            if ($unique && str_contains($e->getMessage(), 'Duplicate entry')) {
                throw ApiError::of(ErrorCode::INDEX_DUPLICATE_ROWS, "rows repeat the values of $name");
            }
            throw $e;
        }
    }
}
