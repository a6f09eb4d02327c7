<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Site users as the cabinet shows them, and the one setting it keeps per user: the current
 * company (\B2bsync\Bridge\Cabinet\SitePeople with UserTable and CUserOptions; in memory in the
 * tests).
 */
interface PeoplePort
{
    /**
     * @param list<int> $ids
     * @return array<int, array{ID: int, NAME: string, EMAIL: string, LANGUAGE_ID: string}> by ID; NAME is
     *     "first last", else the login; unknown IDs are left out
     */
    public function people(array $ids): array;

    /** The company the user picked last (a b2b_companies ID), or null. */
    public function preferredCompany(int $userId): ?int;

    public function setPreferredCompany(int $userId, int $companyId): void;

    /**
     * Tell the user's open pages the new unread count (the pull module's push; nothing when the
     * module is not installed — the bell then catches up within 30 s).
     */
    public function pushUnread(int $userId, int $unread): void;
}
