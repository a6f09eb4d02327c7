<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * The site objects behind the service account (\B2bsync\Bridge\Account with CGroup, CMain's
 * module rights, CUser and the rest module's \Bitrix\Rest\APAuth\PasswordTable / PermissionTable;
 * in memory in the tests), and the module's options.
 *
 * A webhook: ['ID' => int, 'USER_ID' => int, 'PASSWORD' => string, 'SCOPES' => list<string>,
 * 'ACTIVE' => bool]. Its URL is https://<site>/rest/<USER_ID>/<PASSWORD>/.
 */
interface AccountPort
{
    public function groupExists(int $groupId): bool;

    public function findGroup(string $code): ?int;

    /** @param array<string, string> $names by language */
    public function addGroup(string $code, array $names): int;

    /** The group's right on a module ('' when none is set). */
    public function moduleRight(string $module, int $groupId): string;

    public function setModuleRight(string $module, int $groupId, string $right): void;

    /** @return array{ID: int, LOGIN: string, EMAIL: string, ACTIVE: bool, GROUP_IDS: list<int>}|null */
    public function user(int $userId): ?array;

    public function findLogin(string $login): ?int;

    /**
     * A user who never logs in with a password (a long random one is set and forgotten).
     * @param list<int> $groups
     * @throws ApiError ERROR_USER_ADD when the site refuses it
     */
    public function addServiceUser(string $login, string $email, string $name, array $groups): int;

    /** @param list<int> $groups the complete new set */
    public function setUserGroups(int $userId, array $groups): void;

    public function setUserActive(int $userId, bool $active): void;

    /** @return list<array{ID: int, USER_ID: int, PASSWORD: string, SCOPES: list<string>, ACTIVE: bool}> */
    public function webhooks(int $userId): array;

    /**
     * PasswordTable::createPassword(): a new secret with these scopes.
     * @param list<string> $scopes
     * @return array{ID: int, USER_ID: int, PASSWORD: string, SCOPES: list<string>, ACTIVE: bool}
     */
    public function addWebhook(int $userId, array $scopes): array;

    public function deleteWebhook(int $webhookId): void;

    public function option(string $name): string;

    public function setOption(string $name, string $value): void;
}
