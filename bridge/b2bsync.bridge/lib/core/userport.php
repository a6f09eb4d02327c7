<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Site users (\B2bsync\Bridge\Users with CUser / UserTable; in memory in the tests).
 * A user: ID, LOGIN, EMAIL, NAME, LAST_NAME, ACTIVE (bool), GROUP_IDS (list of ints).
 */
interface UserPort
{
    /** The lowest-ID user with that e-mail, compared as the database does (case-insensitively). */
    public function findByEmail(string $email): ?array;

    public function loginExists(string $login): bool;

    /**
     * @param array{LOGIN: string, EMAIL: string, NAME: string, LAST_NAME: string, PASSWORD: string, GROUP_IDS: list<int>} $user
     * @throws ApiError ERROR_USER_ADD when the site refuses it (password policy, login rules…)
     */
    public function addUser(array $user): int;
}
