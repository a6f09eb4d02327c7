<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The service account b2bsync calls the site with: a group (made by the installer), one user in
 * it and nothing else, and that user's inbound webhook with the scopes sale and b2bsync.
 *
 * A "Site Management" edition has no inbound-webhook screen (it comes with Bitrix24's intranet
 * module), so the module's settings page makes the webhook itself: a row of the rest module's
 * b_rest_ap (PasswordTable::createPassword) with its scopes in b_rest_ap_permission.
 *
 * Rights: the `sale` module right decides sale.* over REST (seen on Business 25.550: D denies
 * everything, P and U read but cannot write, W writes), so the group gets sale = W and no other
 * right; b2bsync.* is allowed by the group membership itself (AccessPolicy).
 */
final class ServiceAccount
{
    public const GROUP_CODE = 'B2BSYNC_SERVICE';
    public const GROUP_NAMES = ['ru' => 'b2bsync: сервисная учётная запись', 'en' => 'b2bsync: service account'];
    public const USER_LOGIN = 'b2bsync_service';
    public const USER_NAME = 'b2bsync';
    /** @var list<string> */
    public const SCOPES = ['b2bsync', 'sale'];
    /** @var array<string, string> */
    public const RIGHTS = ['sale' => 'W'];
    public const OPTION_GROUP = 'service_group_id';
    public const OPTION_USER = 'service_user_id';

    public function __construct(private readonly AccountPort $port)
    {
    }

    /** The service group (found by its STRING_ID, or made), with its module rights; idempotent. */
    public function group(): int
    {
        $id = (int)$this->port->option(self::OPTION_GROUP);
        if ($id <= 0 || !$this->port->groupExists($id)) {
            $id = $this->port->findGroup(self::GROUP_CODE) ?? $this->port->addGroup(self::GROUP_CODE, self::GROUP_NAMES);
            $this->port->setOption(self::OPTION_GROUP, (string)$id);
        }
        foreach (self::RIGHTS as $module => $right) {
            if ($this->port->moduleRight($module, $id) !== $right) {
                $this->port->setModuleRight($module, $id, $right);
            }
        }
        return $id;
    }

    /**
     * The service user: active, in the service group and no other group; made when missing.
     * @throws ApiError ERROR_ARGUMENT for a bad e-mail, ERROR_USER_ADD when the site refuses it
     */
    public function user(string $email): int
    {
        $group = $this->group();
        $id = (int)$this->port->option(self::OPTION_USER);
        $user = $id > 0 ? $this->port->user($id) : null;
        if ($user === null) {
            $found = $this->port->findLogin(self::USER_LOGIN);
            $id = $found ?? $this->port->addServiceUser(self::USER_LOGIN, NameRules::email($email), self::USER_NAME, [$group]);
            $this->port->setOption(self::OPTION_USER, (string)$id);
            $user = $this->port->user($id);
        }
        if ($user !== null && $user['GROUP_IDS'] !== [$group]) {
            $this->port->setUserGroups($id, [$group]);
        }
        if ($user !== null && !$user['ACTIVE']) {
            $this->port->setUserActive($id, true);
        }
        return $id;
    }

    /**
     * The service user's webhook with exactly the scopes sale and b2bsync: kept when it exists,
     * made when not; any other webhook of that user is deleted.
     * @return array{ID: int, USER_ID: int, PASSWORD: string, SCOPES: list<string>, ACTIVE: bool}
     */
    public function webhook(string $email, bool $newSecret = false): array
    {
        $userId = $this->user($email);
        $kept = null;
        foreach ($this->port->webhooks($userId) as $hook) {
            $scopes = $hook['SCOPES'];
            sort($scopes);
            if (!$newSecret && $kept === null && $hook['ACTIVE'] && $scopes === self::SCOPES) {
                $kept = $hook;
                continue;
            }
            $this->port->deleteWebhook($hook['ID']);
        }
        return $kept ?? $this->port->addWebhook($userId, self::SCOPES);
    }

    /** @return array{GROUP_ID: ?int, USER: ?array<string, mixed>, WEBHOOK: ?array<string, mixed>} */
    public function status(): array
    {
        $group = (int)$this->port->option(self::OPTION_GROUP);
        $userId = (int)$this->port->option(self::OPTION_USER);
        $user = $userId > 0 ? $this->port->user($userId) : null;
        $hook = null;
        if ($user !== null) {
            foreach ($this->port->webhooks($userId) as $candidate) {
                $hook ??= $candidate['ACTIVE'] ? $candidate : null;
            }
        }
        return [
            'GROUP_ID' => $group > 0 && $this->port->groupExists($group) ? $group : null,
            'USER' => $user,
            'WEBHOOK' => $hook,
        ];
    }

    /** Uninstalling: the service user cannot log in any more and its webhooks are gone. */
    public function disable(): void
    {
        $userId = (int)$this->port->option(self::OPTION_USER);
        if ($userId <= 0 || $this->port->user($userId) === null) {
            return;
        }
        foreach ($this->port->webhooks($userId) as $hook) {
            $this->port->deleteWebhook($hook['ID']);
        }
        $this->port->setUserActive($userId, false);
    }

    /** The webhook's base URL for b2bsync's bitrix.webhook_url. */
    public static function url(string $siteUrl, int $userId, string $password): string
    {
        return rtrim($siteUrl, '/') . '/rest/' . $userId . '/' . $password . '/';
    }
}
