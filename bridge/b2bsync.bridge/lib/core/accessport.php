<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/**
 * Who calls and what the module's settings allow (\B2bsync\Bridge\Access with CurrentUser,
 * CUser and the module's options; in memory in the tests).
 *
 * Options, all set on the module's settings page except the declared blocks, which
 * b2bsync.hlblock.declare (run by `b2bsync schema apply`) writes.
 */
interface AccessPort
{
    /** The user the rest module authorized for this call (the webhook's or the app's user); 0: none. */
    public function callerId(): int;

    public function isAdmin(int $userId): bool;

    /** @return list<int> the user's stored group memberships */
    public function memberships(int $userId): array;

    /** The module's service group (created by the installer), null before it exists. */
    public function serviceGroupId(): ?int;

    /** @return list<string> HL-block NAMEs b2bsync declared (module option hl_declared) */
    public function declaredBlocks(): array;

    /** @param list<string> $names the complete new list */
    public function setDeclaredBlocks(array $names): void;

    /** @return list<string> HL-block NAMEs an administrator allowed on the settings page (hl_allowed) */
    public function allowedBlocks(): array;

    /** @return list<int> groups b2bsync.user.add may put users in (user_groups) */
    public function userGroups(): array;
}
