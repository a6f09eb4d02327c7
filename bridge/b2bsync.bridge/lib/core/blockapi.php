<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** b2bsync.hlblock.* — blocks, their user fields and indexes. */
final class BlockApi
{
    public const BLOCK_COLUMNS = ['ID' => 'integer', 'NAME' => 'string', 'TABLE_NAME' => 'string'];

    public function __construct(
        private readonly BlockPort $blocks,
        private readonly SitePort $site,
        private readonly AccessPolicy $policy,
    ) {
    }

    /**
     * The block a call names (HLBLOCK: ID or NAME; HLBLOCK_ID: ID), if b2bsync may use it.
     * @return array{ID: int, NAME: string, TABLE_NAME: string, LANG: array<string, string>}
     */
    public function resolve(Params $params, bool $idOnly = false): array
    {
        $ref = $params->blockRef($idOnly);
        foreach ($this->blocks->blocks() as $block) {
            if ((isset($ref['ID']) && $block['ID'] === $ref['ID']) || (isset($ref['NAME']) && $block['NAME'] === $ref['NAME'])) {
                $this->policy->block($block);
                return $block;
            }
        }
        throw ApiError::of(ErrorCode::NOT_FOUND, 'HL-block ' . ($ref['ID'] ?? $ref['NAME'] ?? '') . ' not found');
    }

    /** @return array{ID: int, NAME: string, TABLE_NAME: string, LANG: array<string, string>} */
    private function blockById(int $id): array
    {
        foreach ($this->blocks->blocks() as $block) {
            if ($block['ID'] === $id) {
                $this->policy->block($block);
                return $block;
            }
        }
        throw ApiError::of(ErrorCode::NOT_FOUND, 'HL-block not found');
    }

    /** @return array<string, array<string, mixed>> the block's fields by FIELD_NAME */
    public function fieldsByName(int $blockId): array
    {
        $out = [];
        foreach ($this->blocks->fields($blockId) as $field) {
            $out[$field['FIELD_NAME']] = $field;
        }
        return $out;
    }

    /** @return list<array<string, mixed>> */
    public function list(Params $params): array
    {
        $query = ListQuery::parse($params->all(), self::BLOCK_COLUMNS, $this->site->timezone());
        return $query->apply($this->blocks->blocks());
    }

    /** @return array<string, mixed> */
    public function get(Params $params): array
    {
        if ($params->has('ID')) {
            $id = $params->id();
            $match = static fn (array $b): bool => $b['ID'] === $id;
        } elseif ($params->has('NAME')) {
            $name = $params->string('NAME');
            $match = static fn (array $b): bool => $b['NAME'] === $name;
        } else {
            throw ApiError::of(ErrorCode::ARGUMENT, 'ID or NAME is required');
        }
        foreach ($this->blocks->blocks() as $block) {
            if ($match($block)) {
                $this->policy->block($block);
                return $block;
            }
        }
        throw ApiError::of(ErrorCode::NOT_FOUND, 'HL-block not found');
    }

    /**
     * b2bsync.hlblock.declare: the blocks b2bsync may use from now on (NAMES, a list). Names of
     * blocks that do not exist yet, or are b2bsync's already; see AccessPolicy::declare().
     * @return list<string> every declared name
     */
    public function declare(Params $params): array
    {
        $names = [];
        foreach (Params::asList($params->get('NAMES'), 'NAMES') as $item) {
            if (!is_string($item)) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'NAMES must list HL-block names');
            }
            NameRules::blockName($item);
            $names[] = $item;
        }
        if ($names === []) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'NAMES must list HL-block names');
        }
        return $this->policy->declare($names, $this->blocks->blocks());
    }

    public function add(Params $params): int
    {
        $name = $params->string('NAME');
        $tableName = $params->string('TABLE_NAME');
        NameRules::blockName($name);
        NameRules::tableName($tableName);
        $lang = $params->has('LANG') ? Params::langMap($params->get('LANG'), 'LANG') : [];
        $this->policy->newBlock($name);
        foreach ($this->blocks->blocks() as $block) {
            if ($block['NAME'] === $name) {
                throw ApiError::of(ErrorCode::HLBLOCK_EXISTS, "an HL-block named $name exists");
            }
        }
        if ($this->blocks->tableExists($tableName)) {
            throw ApiError::of(ErrorCode::HLBLOCK_EXISTS, "table $tableName exists");
        }
        return $this->blocks->addBlock($name, $tableName, $lang);
    }

    public function update(Params $params): bool
    {
        $id = $params->id();
        $block = $this->blockById($id);
        foreach (['NAME', 'TABLE_NAME'] as $key) {
            if ($params->has($key) && $params->get($key) !== $block[$key]) {
                throw ApiError::of(ErrorCode::ARGUMENT, "$key cannot be changed");
            }
        }
        if ($params->has('LANG')) {
            $this->blocks->setBlockLang($id, Params::langMap($params->get('LANG'), 'LANG'));
        }
        return true;
    }

    /** @return list<array<string, mixed>> */
    public function fieldList(Params $params): array
    {
        $block = $this->resolve($params, true);
        $query = ListQuery::parse($params->all(), FieldSpec::listColumns(), $this->site->timezone(), [['SORT', false], ['ID', false]]);
        $rows = array_map([FieldSpec::class, 'answer'], $this->blocks->fields($block['ID']));
        return $query->apply($rows);
    }

    /** @return array<string, mixed> */
    public function fieldGet(Params $params): array
    {
        return FieldSpec::answer($this->field($params));
    }

    /** @return array<string, mixed> */
    private function field(Params $params): array
    {
        $field = $this->blocks->field($params->id());
        if ($field === null) {
            throw ApiError::of(ErrorCode::NOT_FOUND, 'user field not found');
        }
        $this->blockById((int)$field['HLBLOCK_ID']);
        return $field;
    }

    public function fieldAdd(Params $params): int
    {
        $block = $this->resolve($params, true);
        $spec = FieldSpec::spec($params->object('FIELD'));
        $field = FieldSpec::forAdd($spec, [$this->blocks, 'typeExists']);
        if (isset($this->fieldsByName($block['ID'])[$field['FIELD_NAME']])) {
            throw ApiError::of(ErrorCode::FIELD_EXISTS, "{$block['NAME']} already has {$field['FIELD_NAME']}");
        }
        $field['HLBLOCK_ID'] = $block['ID'];
        return $this->blocks->addField($block['ID'], $field);
    }

    public function fieldUpdate(Params $params): bool
    {
        $before = $this->field($params);
        $after = FieldSpec::forUpdate($before, FieldSpec::spec($params->object('FIELD')));
        $this->blocks->updateField($before, $after);
        return true;
    }

    /** @return list<array{NAME: string, FIELDS: list<string>, UNIQUE: string}> */
    public function indexList(Params $params): array
    {
        $block = $this->resolve($params, true);
        $indexes = $this->blocks->indexes($block);
        ksort($indexes, SORT_STRING);
        $out = [];
        foreach ($indexes as $name => $index) {
            $out[] = ['NAME' => (string)$name, 'FIELDS' => $index['FIELDS'], 'UNIQUE' => Params::yn($index['UNIQUE'])];
        }
        return $out;
    }

    public function indexEnsure(Params $params): bool
    {
        $block = $this->resolve($params, true);
        $name = $params->string('NAME');
        NameRules::indexName($name);
        $fields = $this->fieldsByName($block['ID']);
        $names = array_map(static fn (mixed $item): string => strtoupper((string)(is_scalar($item) ? $item : '')), Params::asList($params->get('FIELDS'), 'FIELDS'));
        if ($names === [] || count(array_unique($names)) !== count($names)) {
            throw ApiError::of(ErrorCode::ARGUMENT, 'FIELDS must list distinct UF_ fields');
        }
        $columns = [];
        foreach ($names as $item) {
            $field = $fields[$item] ?? null;
            if ($field === null || $field['MULTIPLE']) {
                throw ApiError::of(ErrorCode::ARGUMENT, "FIELDS: $item is not a single-valued field of the block");
            }
            $columns[] = $field;
        }
        $unique = $params->has('UNIQUE') ? Params::flag($params->get('UNIQUE'), 'UNIQUE') : false;
        $existing = $this->blocks->indexes($block)[$name] ?? null;
        if ($existing !== null) {
            if ($existing['FIELDS'] !== $names || $existing['UNIQUE'] !== $unique) {
                throw ApiError::of(ErrorCode::INDEX_CONFLICT, "index $name exists with another definition");
            }
            return true;
        }
        $this->blocks->createIndex($block, $name, $columns, $unique);
        return true;
    }
}
