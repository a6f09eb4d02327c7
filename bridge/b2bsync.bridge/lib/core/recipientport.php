<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** Site users as b2bsync writes to them (\B2bsync\Bridge\Recipients with UserTable). */
interface RecipientPort
{
    /**
     * The users with these IDs, by ID; unknown IDs are left out. A user: ID, EMAIL, NAME,
     * LAST_NAME, ACTIVE (bool), LANGUAGE_ID (b_user.LANGUAGE_ID, '' when none was chosen),
     * GROUP_IDS (list of int: the user's explicit group memberships active now).
     *
     * @param list<int> $ids
     * @return list<array<string, mixed>>
     */
    public function usersByIds(array $ids): array;
}
