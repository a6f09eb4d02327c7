<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Tests\Support;

use B2bsync\Bridge\Core\ApiError;
use B2bsync\Bridge\Core\ErrorCode;
use B2bsync\Bridge\Core\ServiceAccount;

/**
 * Users, groups, module rights, webhooks and the module's options of the MemorySite. Like a
 * fresh e-shop install, the site appends the rating groups 3 and 4 to every new user.
 */
trait MemoryPeople
{
    /** @var array<int, array<string, mixed>> */
    public array $users = [];
    /** @var array<int, array{NAME: string, STRING_ID: string}> */
    public array $groups = [];
    /** @var array<string, array<int, string>> module => group => right */
    public array $rights = [];
    /** @var array<int, array{ID: int, USER_ID: int, PASSWORD: string, SCOPES: list<string>, ACTIVE: bool}> */
    public array $webhooks = [];
    /** @var array<string, string> the module's options */
    public array $options = [];
    /** The user the rest module authorized for the call. */
    public int $callerId = 1;
    /** @var list<int> */
    public array $ratingGroups = [3, 4];

    // UserPort -----------------------------------------------------------------------------
    public function findByEmail(string $email): ?array
    {
        ksort($this->users);
        foreach ($this->users as $user) {
            if (mb_strtolower($user['EMAIL']) === mb_strtolower($email)) {
                return $user;
            }
        }
        return null;
    }

    public function loginExists(string $login): bool
    {
        foreach ($this->users as $user) {
            if (mb_strtolower($user['LOGIN']) === mb_strtolower($login)) {
                return true;
            }
        }
        return false;
    }

    public function automaticGroups(): array
    {
        return $this->ratingGroups;
    }

    /** The default policy of a fresh site: logins of 3 characters, passwords of 6 at least. */
    public function addUser(array $user): int
    {
        if (mb_strlen($user['LOGIN']) < 3) {
            throw ApiError::of(ErrorCode::USER_ADD, 'the login must be at least 3 characters long');
        }
        if (mb_strlen($user['PASSWORD']) < 6) {
            throw ApiError::of(ErrorCode::USER_ADD, 'the password must be at least 6 characters long');
        }
        $id = max(array_keys($this->users)) + 1;
        unset($user['PASSWORD']);
        $groups = array_values(array_unique([...$user['GROUP_IDS'], ...$this->ratingGroups]));
        sort($groups);
        $this->users[$id] = ['ID' => $id, 'ACTIVE' => true] + ['GROUP_IDS' => $groups] + $user;
        return $id;
    }

    // AccessPort ---------------------------------------------------------------------------
    public function callerId(): int
    {
        return $this->callerId;
    }

    public function isAdmin(int $userId): bool
    {
        return in_array(1, $this->memberships($userId), true);
    }

    public function memberships(int $userId): array
    {
        return isset($this->users[$userId]) ? array_values($this->users[$userId]['GROUP_IDS']) : [];
    }

    public function serviceGroupId(): ?int
    {
        $id = (int)($this->options[ServiceAccount::OPTION_GROUP] ?? 0);
        return $id > 0 ? $id : null;
    }

    public function declaredBlocks(): array
    {
        return json_decode($this->options['hl_declared'] ?? '[]', true);
    }

    public function setDeclaredBlocks(array $names): void
    {
        $this->options['hl_declared'] = json_encode($names);
    }

    public function allowedBlocks(): array
    {
        return json_decode($this->options['hl_allowed'] ?? '[]', true);
    }

    public function userGroups(): array
    {
        return json_decode($this->options['user_groups'] ?? '[]', true);
    }

    // AccountPort --------------------------------------------------------------------------
    public function groupExists(int $groupId): bool
    {
        return isset($this->groups[$groupId]);
    }

    public function findGroup(string $code): ?int
    {
        foreach ($this->groups as $id => $group) {
            if ($group['STRING_ID'] === $code) {
                return $id;
            }
        }
        return null;
    }

    public function addGroup(string $code, array $names): int
    {
        $id = max(array_keys($this->groups)) + 1;
        $this->groups[$id] = ['NAME' => $names['en'] ?? reset($names), 'STRING_ID' => $code];
        return $id;
    }

    public function moduleRight(string $module, int $groupId): string
    {
        return $this->rights[$module][$groupId] ?? '';
    }

    public function setModuleRight(string $module, int $groupId, string $right): void
    {
        $this->rights[$module][$groupId] = $right;
    }

    public function user(int $userId): ?array
    {
        $user = $this->users[$userId] ?? null;
        if ($user === null) {
            return null;
        }
        $groups = $user['GROUP_IDS'];
        sort($groups);
        return ['ID' => $userId, 'LOGIN' => $user['LOGIN'], 'EMAIL' => $user['EMAIL'], 'ACTIVE' => $user['ACTIVE'], 'GROUP_IDS' => array_values($groups)];
    }

    public function findLogin(string $login): ?int
    {
        foreach ($this->users as $id => $user) {
            if ($user['LOGIN'] === $login) {
                return $id;
            }
        }
        return null;
    }

    /** Like CUser::Add() followed by SetUserGroup(): in exactly $groups, the rating groups removed. */
    public function addServiceUser(string $login, string $email, string $name, array $groups): int
    {
        if ($this->loginExists($login) || $this->findByEmail($email) !== null) {
            throw ApiError::of(ErrorCode::USER_ADD, 'a user with this login or e-mail exists');
        }
        $id = max(array_keys($this->users)) + 1;
        sort($groups);
        $this->users[$id] = ['ID' => $id, 'LOGIN' => $login, 'EMAIL' => $email, 'NAME' => $name, 'LAST_NAME' => '', 'ACTIVE' => true, 'GROUP_IDS' => $groups];
        return $id;
    }

    public function setUserGroups(int $userId, array $groups): void
    {
        $this->users[$userId]['GROUP_IDS'] = $groups;
    }

    public function setUserActive(int $userId, bool $active): void
    {
        $this->users[$userId]['ACTIVE'] = $active;
    }

    public function webhooks(int $userId): array
    {
        return array_values(array_filter($this->webhooks, static fn (array $h): bool => $h['USER_ID'] === $userId));
    }

    public function addWebhook(int $userId, array $scopes): array
    {
        $id = $this->next('webhook');
        sort($scopes);
        $this->webhooks[$id] = ['ID' => $id, 'USER_ID' => $userId, 'PASSWORD' => sprintf('s3cr3t%010d', $id), 'SCOPES' => $scopes, 'ACTIVE' => true];
        return $this->webhooks[$id];
    }

    public function deleteWebhook(int $webhookId): void
    {
        unset($this->webhooks[$webhookId]);
    }

    public function option(string $name, string $default = ''): string
    {
        return $this->options[$name] ?? $default;
    }

    public function setOption(string $name, string $value): void
    {
        $this->options[$name] = $value;
    }
}
