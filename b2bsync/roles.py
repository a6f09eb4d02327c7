"""The role table moved down to :mod:`workflows.roles` (the workflows decide with it); these
names stay importable from here for the CLI and for code written against the old place."""

from workflows.roles import (
    CAPABILITY_TITLES,
    ROLE_CAPABILITIES,
    ROLE_TITLES,
    Capability,
    LastOwnerError,
    Member,
    Role,
    UnknownRoleError,
    active_owners,
    after_change,
    can,
    capabilities,
    ensure_owner_remains,
    export_table,
    holders,
    role_of,
)

__all__ = [
    "CAPABILITY_TITLES",
    "ROLE_CAPABILITIES",
    "ROLE_TITLES",
    "Capability",
    "LastOwnerError",
    "Member",
    "Role",
    "UnknownRoleError",
    "active_owners",
    "after_change",
    "can",
    "capabilities",
    "ensure_owner_remains",
    "export_table",
    "holders",
    "role_of",
]
