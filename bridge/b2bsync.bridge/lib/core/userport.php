<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Site users (\B2bsync\Bridge\Users with CUser / UserTable; in memory in the tests).
 * A user: ID, LOGIN, EMAIL, NAME, LAST_NAME, ACTIVE (bool), GROUP_IDS (list of ints: the user's
 * stored memberships, which CUser::GetUserGroup() reports with group 2 added).
 */
interface UserPort
{
    /** The lowest-ID user with that e-mail, compared as the database does (case-insensitively). */
    public function findByEmail(string $email): ?array;

    public function loginExists(string $login): bool;

    /**
     * Groups the site puts every new user in by itself: the rating groups of the main module's
     * "assign automatically" settings (3 and 4 on a fresh e-shop install).
     * @return list<int>
     */
    public function automaticGroups(): array;

    /**
     * @param array{LOGIN: string, EMAIL: string, NAME: string, LAST_NAME: string, PASSWORD: string, GROUP_IDS: list<int>} $user
     * @throws ApiError ERROR_USER_ADD when the site refuses it (password policy, login rules…)
     */
    public function addUser(array $user): int;
}
