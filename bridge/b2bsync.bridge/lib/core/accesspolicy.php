<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Least privilege for the b2bsync scope (bridge/contract/README.md, "Access"). A token with the
 * scope used to reach every HL-block, put users in any group but 1 and add templates with a BCC or
 * PHP to any mail event; now:
 *
 * - the caller is a member of the module's service group, or an administrator;
 * - HL-blocks: only those b2bsync declared (b2bsync.hlblock.declare, run by `schema apply`) and
 *   those an administrator allowed on the settings page; the list of all blocks stays visible
 *   (names only), so the schema planner can report a table taken by someone else;
 * - user.add: only into the groups the settings page allows; never the administrators' or the
 *   service group; user.find does not see administrators or service users;
 * - mail: event types and templates only with the B2B_ prefix; template fields without `<?`,
 *   `<%` or `<script`; recipients (EMAIL_TO, BCC) only as #PLACEHOLDERS#.
 */
final class AccessPolicy
{
    public const ADMIN_GROUP = 1;
    /** Every user is in group 2 ("all users"); Bitrix reports it whether stored or not. */
    public const EVERYONE_GROUP = 2;
    public const EVENT_PREFIX = 'B2B_';
    public const CODE_MARKERS = ['<?', '<%', '<script'];
    public const RECIPIENT_FIELDS = ['EMAIL_TO', 'BCC'];
    public const CHECKED_FIELDS = ['EMAIL_FROM', 'EMAIL_TO', 'BCC', 'SUBJECT', 'MESSAGE'];
    private const PLACEHOLDER = '/\A#[A-Z0-9_]+#\z/';

    public function __construct(private readonly AccessPort $access)
    {
    }

    /** The caller's user ID; ERROR_ACCESS_DENIED unless a service-group member or an administrator. */
    public function caller(): int
    {
        $id = $this->access->callerId();
        if ($id > 0 && ($this->access->isAdmin($id) || $this->isServiceMember($id))) {
            return $id;
        }
        throw ApiError::of(
            ErrorCode::ACCESS_DENIED,
            "user $id is neither in the module's service group nor an administrator "
            . '(create the service user on the module settings page and use its webhook)'
        );
    }

    public function isServiceMember(int $userId): bool
    {
        $group = $this->access->serviceGroupId();
        return $group !== null && in_array($group, $this->access->memberships($userId), true);
    }

    /** @return list<string> the NAMEs of the blocks b2bsync may use, sorted */
    public function blockNames(): array
    {
        $names = array_values(array_unique([...$this->access->declaredBlocks(), ...$this->access->allowedBlocks()]));
        sort($names, SORT_STRING);
        return $names;
    }

    public function canUseBlock(string $name): bool
    {
        return in_array($name, $this->blockNames(), true);
    }

    /** @param array{NAME: string} $block */
    public function block(array $block): void
    {
        if (!$this->canUseBlock($block['NAME'])) {
            throw ApiError::of(
                ErrorCode::ACCESS_DENIED,
                "HL-block {$block['NAME']} is not b2bsync's: run `b2bsync schema apply` for its own "
                . 'blocks, or allow this one on the module settings page'
            );
        }
    }

    public function newBlock(string $name): void
    {
        if (!$this->canUseBlock($name)) {
            throw ApiError::of(ErrorCode::ACCESS_DENIED, "HL-block $name was not declared (b2bsync.hlblock.declare)");
        }
    }

    /**
     * Add $names to the declared blocks. A name may be declared while no block has it (b2bsync
     * is about to create it); an existing block someone else made stays out of reach until an
     * administrator allows it on the settings page.
     * @param list<string> $names checked against NameRules already
     * @param list<array{NAME: string}> $existing every HL-block of the site
     * @return list<string> the declared names after the call, sorted
     */
    public function declare(array $names, array $existing): array
    {
        $taken = array_map(static fn (array $b): string => $b['NAME'], $existing);
        $declared = $this->access->declaredBlocks();
        foreach ($names as $name) {
            if (!$this->canUseBlock($name) && in_array($name, $taken, true)) {
                throw ApiError::of(
                    ErrorCode::ACCESS_DENIED,
                    "HL-block $name exists and is not b2bsync's: an administrator can allow it on the module settings page"
                );
            }
        }
        $after = array_values(array_unique([...$declared, ...$names]));
        sort($after, SORT_STRING);
        if ($after !== $declared) {
            $this->access->setDeclaredBlocks($after);
        }
        return $after;
    }

    /** @param list<int> $groups */
    public function userGroups(array $groups): void
    {
        $service = $this->access->serviceGroupId();
        $allowed = $this->access->userGroups();
        foreach ($groups as $group) {
            if ($group === self::ADMIN_GROUP) {
                throw ApiError::of(ErrorCode::ARGUMENT, 'the bridge never adds users to the administrators group');
            }
            if ($group === $service || !in_array($group, $allowed, true)) {
                throw ApiError::of(
                    ErrorCode::ACCESS_DENIED,
                    "group $group is not one the module settings allow for new users (allowed: "
                    . ($allowed === [] ? 'none' : implode(', ', $allowed)) . ')'
                );
            }
        }
    }

    /**
     * The groups user.* reports for a user: explicit memberships only. Group 2 (every user) and
     * the groups the site adds to every new user by itself (the rating groups) are left out,
     * unless the settings allow user.add to assign them.
     * @param list<int> $memberships
     * @param list<int> $automatic
     * @return list<int>
     */
    public function reportedGroups(array $memberships, array $automatic): array
    {
        $allowed = $this->access->userGroups();
        $out = [];
        foreach ($memberships as $group) {
            if ($group === self::EVERYONE_GROUP || (in_array($group, $automatic, true) && !in_array($group, $allowed, true))) {
                continue;
            }
            $out[] = $group;
        }
        $out = array_values(array_unique($out));
        sort($out);
        return $out;
    }

    /** Administrators and service users are none of b2bsync's business: user.find does not see them. */
    public function hidesUser(int $userId): bool
    {
        return $this->access->isAdmin($userId) || $this->isServiceMember($userId);
    }

    public function eventName(string $eventName): void
    {
        if (!str_starts_with($eventName, self::EVENT_PREFIX)) {
            throw ApiError::of(ErrorCode::ACCESS_DENIED, "mail event $eventName: the bridge manages and sends B2B_* events only");
        }
    }

    public static function isB2bEvent(string $eventName): bool
    {
        return str_starts_with($eventName, self::EVENT_PREFIX);
    }

    /**
     * Template content the bridge will not store: code markers anywhere (a template is PHP on some
     * sites' mail setups) and recipients that are not #PLACEHOLDERS# (a template must not mail a
     * fixed address, BCC included).
     * @param array<string, mixed> $template
     */
    public function template(array $template): void
    {
        foreach (self::CHECKED_FIELDS as $key) {
            $text = (string)($template[$key] ?? '');
            foreach (self::CODE_MARKERS as $marker) {
                if (stripos($text, $marker) !== false) {
                    throw ApiError::of(ErrorCode::TEMPLATE_UNSAFE, "$key contains '$marker'");
                }
            }
        }
        foreach (self::RECIPIENT_FIELDS as $key) {
            if (!self::placeholdersOnly((string)($template[$key] ?? ''))) {
                throw ApiError::of(ErrorCode::TEMPLATE_UNSAFE, "$key: recipients only as #PLACEHOLDERS#, e.g. #EMAIL#");
            }
        }
    }

    /** Empty, or #NAME# tokens separated by commas, semicolons or spaces. */
    public static function placeholdersOnly(string $text): bool
    {
        foreach (preg_split('/[\s,;]+/', trim($text)) ?: [] as $token) {
            if ($token !== '' && preg_match(self::PLACEHOLDER, $token) !== 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * The settings page's list of allowed blocks: names of existing blocks only.
     * @param list<mixed> $posted
     * @param list<string> $existing
     * @return list<string>
     */
    public static function cleanAllowedBlocks(array $posted, array $existing): array
    {
        $out = array_values(array_intersect($existing, array_filter($posted, 'is_string')));
        $out = array_values(array_unique($out));
        sort($out, SORT_STRING);
        return $out;
    }

    /**
     * The settings page's user.add groups: never the administrators', "all users" or the
     * service group.
     * @param list<mixed> $posted
     * @return list<int>
     */
    public static function cleanUserGroups(array $posted, ?int $serviceGroup): array
    {
        $out = [];
        foreach ($posted as $item) {
            $group = Params::positiveInt(is_int($item) ? $item : (is_string($item) ? trim($item) : null));
            if ($group !== null && !in_array($group, [self::ADMIN_GROUP, self::EVERYONE_GROUP, $serviceGroup], true)) {
                $out[] = $group;
            }
        }
        $out = array_values(array_unique($out));
        sort($out);
        return $out;
    }

    /** @return array{SERVICE_GROUP: ?int, HLBLOCKS: list<string>, USER_GROUPS: list<int>} */
    public function info(): array
    {
        $groups = $this->access->userGroups();
        sort($groups);
        return [
            'SERVICE_GROUP' => $this->access->serviceGroupId(),
            'HLBLOCKS' => $this->blockNames(),
            'USER_GROUPS' => array_values($groups),
        ];
    }
}
