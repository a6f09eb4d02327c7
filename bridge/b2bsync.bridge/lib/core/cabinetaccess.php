<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The role table the cabinet enforces: the JSON `b2bsync roles export` prints, which
 * `b2bsync schema apply` stores in the module option "roles" (b2bsync.option.set). One copy of
 * the rules lives in b2bsync (b2bsync/roles.py); this class only reads it, checks its shape and
 * answers "may this role do that?".
 *
 * Fail closed: with no table stored (the schema was never applied) or an unknown role, nothing is
 * allowed, and the cabinet says it is not set up yet instead of guessing. The capability codes the
 * components ask about are the constants below; a table that lacks one grants it to nobody.
 */
final class CabinetAccess
{
    public const VERSION = 1;

    public const ORDERS_VIEW = 'orders.view';
    public const ORDERS_CREATE = 'orders.create';
    public const ORDERS_APPROVE = 'orders.approve';
    public const ORDERS_COMMENT = 'orders.comment';
    public const DOCUMENTS_VIEW = 'documents.view';
    public const FINANCE_VIEW = 'finance.view';
    public const COMPANY_MANAGE = 'company.manage';

    /**
     * @param array<string, array{title: array{ru: string, en: string}, capabilities: list<string>}> $roles by code, table order
     * @param array<string, array{ru: string, en: string}> $capabilities titles by code, table order
     * @param array<string, mixed>|null $table the table as stored
     */
    private function __construct(
        private readonly array $roles,
        private readonly array $capabilities,
        private readonly ?array $table,
    ) {
    }

    /** No table: every check denies. */
    public static function unconfigured(): self
    {
        return new self([], [], null);
    }

    /** The stored option's text (null when never written); a broken text counts as none. */
    public static function fromOption(?string $json): self
    {
        if ($json === null || $json === '') {
            return self::unconfigured();
        }
        try {
            return self::parse(json_decode($json, true, 64, JSON_THROW_ON_ERROR));
        } catch (\JsonException | BadValue) {
            return self::unconfigured();
        }
    }

    /**
     * A decoded table, checked: version 1; capabilities with unique dotted codes and ru/en titles;
     * roles with unique codes, ru/en titles and only declared capabilities; no other keys.
     * @throws BadValue with the one-line reason
     */
    public static function parse(mixed $value): self
    {
        self::keys($value, ['version', 'roles', 'capabilities'], 'VALUE');
        if (!is_int($value['version']) || $value['version'] !== self::VERSION) {
            throw new BadValue('VALUE.version must be ' . self::VERSION);
        }
        if (!is_array($value['capabilities']) || !array_is_list($value['capabilities']) || $value['capabilities'] === []) {
            throw new BadValue('VALUE.capabilities must be a non-empty list');
        }
        $capabilities = [];
        foreach ($value['capabilities'] as $i => $item) {
            $where = "VALUE.capabilities[$i]";
            self::keys($item, ['code', 'title'], $where);
            $code = $item['code'];
            if (!is_string($code) || preg_match('/\A[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\z/', $code) !== 1) {
                throw new BadValue("$where.code must be a dotted lower-case code");
            }
            if (isset($capabilities[$code])) {
                throw new BadValue("$where.code $code is declared twice");
            }
            $capabilities[$code] = self::title($item['title'], $where);
        }
        if (!is_array($value['roles']) || !array_is_list($value['roles']) || $value['roles'] === []) {
            throw new BadValue('VALUE.roles must be a non-empty list');
        }
        $roles = [];
        foreach ($value['roles'] as $i => $item) {
            $where = "VALUE.roles[$i]";
            self::keys($item, ['code', 'title', 'capabilities'], $where);
            $code = $item['code'];
            if (!is_string($code) || preg_match('/\A[a-z][a-z0-9_]{0,31}\z/', $code) !== 1) {
                throw new BadValue("$where.code must match ^[a-z][a-z0-9_]{0,31}$");
            }
            if (isset($roles[$code])) {
                throw new BadValue("$where.code $code is declared twice");
            }
            $title = self::title($item['title'], $where);
            $granted = $item['capabilities'];
            if (!is_array($granted) || !array_is_list($granted)) {
                throw new BadValue("$where.capabilities must be a list");
            }
            foreach ($granted as $capability) {
                if (!is_string($capability) || !isset($capabilities[$capability])) {
                    throw new BadValue("$where.capabilities: " . json_encode($capability) . ' is not a declared capability');
                }
            }
            if (count(array_unique($granted)) !== count($granted)) {
                throw new BadValue("$where.capabilities repeat a code");
            }
            $roles[$code] = ['title' => $title, 'capabilities' => $granted];
        }
        return new self($roles, $capabilities, $value);
    }

    /** @param list<string> $keys */
    private static function keys(mixed $value, array $keys, string $where): void
    {
        if (!is_array($value) || ($value !== [] && array_is_list($value))) {
            throw new BadValue("$where must be an object");
        }
        $have = array_map('strval', array_keys($value));
        sort($have);
        sort($keys);
        if ($have !== $keys) {
            throw new BadValue("$where must have exactly the keys " . implode(', ', $keys));
        }
    }

    /** @return array{ru: string, en: string} */
    private static function title(mixed $value, string $where): array
    {
        if (!is_array($value) || array_is_list($value) || count($value) !== 2 || !isset($value['ru'], $value['en'])) {
            throw new BadValue("$where.title must be an object with exactly ru and en");
        }
        foreach (['ru', 'en'] as $lang) {
            if (!is_string($value[$lang]) || trim($value[$lang]) === '') {
                throw new BadValue("$where.title texts must be non-empty strings");
            }
        }
        return ['ru' => $value['ru'], 'en' => $value['en']];
    }

    public function isConfigured(): bool
    {
        return $this->table !== null;
    }

    /** @return array<string, mixed>|null the table as stored */
    public function table(): ?array
    {
        return $this->table;
    }

    public function can(?string $role, string $capability): bool
    {
        return $role !== null && in_array($capability, $this->roles[$role]['capabilities'] ?? [], true);
    }

    /** @return list<string> the capabilities of $role, in table order ([] for an unknown role) */
    public function capabilities(string $role): array
    {
        return $this->roles[$role]['capabilities'] ?? [];
    }

    /** @return list<string> role codes in table order */
    public function roles(): array
    {
        return array_keys($this->roles);
    }

    public function hasRole(string $role): bool
    {
        return isset($this->roles[$role]);
    }

    /** The role's title in $lang (ru, else English); the code itself for an unknown role. */
    public function roleTitle(string $role, string $lang): string
    {
        $title = $this->roles[$role]['title'] ?? null;
        return $title === null ? $role : ($lang === 'ru' ? $title['ru'] : $title['en']);
    }

    /** @return list<string> the roles granting $capability, in table order */
    public function holders(string $capability): array
    {
        return array_values(array_filter($this->roles(), fn (string $role): bool => $this->can($role, $capability)));
    }
}
