<?php

declare(strict_types=1);

namespace B2bsync\Bridge\Core;

/** The user's active membership of the current company: who, where, with which role. */
final class Membership
{
    public function __construct(
        public readonly int $userId,
        public readonly int $companyId,
        public readonly string $companyName,
        public readonly string $role,
        public readonly int $rowId,
        public readonly ?int $managerId,
    ) {
    }
}
