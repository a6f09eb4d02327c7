"""Least privilege of the ``b2bsync`` scope, as ``AccessPolicy`` enforces it in the module
(``bridge/b2bsync.bridge/lib/core/accesspolicy.php``; contract README, "Access").

The caller (the webhook's user) must be in the module's service group or an administrator;
HL-blocks must be declared by b2bsync or allowed on the settings page (``_bridge_params.usable``);
``user.add`` only into the allowed groups, and ``user.find`` does not see administrators or
service users; mail only for ``B2B_*`` events, templates without code markers and with recipients
only as ``#PLACEHOLDERS#``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ._bridge_params import ERROR_ACCESS_DENIED, ERROR_ARGUMENT, ERROR_TEMPLATE_UNSAFE, fail
from ._bridge_state import BridgeState, HlBlock
from ._site import FakeSite, FakeUser

ADMIN_GROUP = 1
EVERYONE_GROUP = 2
EVENT_PREFIX = "B2B_"
CODE_MARKERS = ("<?", "<%", "<script")
CHECKED_FIELDS = ("EMAIL_FROM", "EMAIL_TO", "BCC", "SUBJECT", "MESSAGE")
RECIPIENT_FIELDS = ("EMAIL_TO", "BCC")
_PLACEHOLDER = re.compile(r"#[A-Z0-9_]+#")
_SEPARATORS = re.compile(r"[\s,;]+")


def is_admin(user: FakeUser) -> bool:
    return user.admin or ADMIN_GROUP in user.group_ids


def is_service_member(site: FakeSite, user: FakeUser) -> bool:
    group = site.bridge.access.service_group_id
    return group is not None and group in user.group_ids


def check_caller(site: FakeSite, user_id: int) -> None:
    user = site.users.get(user_id)
    if user is not None and (is_admin(user) or is_service_member(site, user)):
        return
    raise fail(
        ERROR_ACCESS_DENIED,
        f"user {user_id} is neither in the module's service group nor an administrator "
        "(create the service user on the module settings page and use its webhook)",
    )


def check_new_block(state: BridgeState, name: str) -> None:
    if name not in state.access.block_names():
        raise fail(
            ERROR_ACCESS_DENIED, f"HL-block {name} was not declared (b2bsync.hlblock.declare)"
        )


def declare(state: BridgeState, names: Iterable[str]) -> list[str]:
    """Add ``names`` to the declared blocks (all or none); the declared names after the call."""
    wanted = list(names)
    usable = set(state.access.block_names())
    for name in wanted:
        if name not in usable and state.block_by_name(name) is not None:
            raise fail(
                ERROR_ACCESS_DENIED,
                f"HL-block {name} exists and is not b2bsync's: an administrator can allow it "
                "on the module settings page",
            )
    state.access.declared = sorted({*state.access.declared, *wanted})
    return list(state.access.declared)


def check_user_groups(site: FakeSite, groups: Iterable[int]) -> None:
    access = site.bridge.access
    for group in groups:
        if group == ADMIN_GROUP:
            raise fail(ERROR_ARGUMENT, "the bridge never adds users to the administrators group")
        if group == access.service_group_id or group not in access.user_groups:
            allowed = ", ".join(str(g) for g in access.user_groups) or "none"
            raise fail(
                ERROR_ACCESS_DENIED,
                f"group {group} is not one the module settings allow for new users "
                f"(allowed: {allowed})",
            )


def reported_groups(site: FakeSite, memberships: Iterable[int]) -> list[int]:
    """Explicit memberships: not group 2, nor the rating groups the site adds to every new user
    unless the settings allow ``user.add`` to assign them."""
    allowed = set(site.bridge.access.user_groups)
    automatic = set(site.rating_groups)
    return sorted(
        {g for g in memberships if g != EVERYONE_GROUP and (g not in automatic or g in allowed)}
    )


def hides_user(site: FakeSite, user: FakeUser) -> bool:
    return is_admin(user) or is_service_member(site, user)


def is_b2b_event(event_name: str) -> bool:
    return event_name.startswith(EVENT_PREFIX)


def check_event(event_name: str) -> None:
    if not is_b2b_event(event_name):
        raise fail(
            ERROR_ACCESS_DENIED,
            f"mail event {event_name}: the bridge manages and sends B2B_* events only",
        )


def placeholders_only(text: str) -> bool:
    return all(_PLACEHOLDER.fullmatch(token) for token in _SEPARATORS.split(text.strip()) if token)


def check_template(content: Mapping[str, Any]) -> None:
    for key in CHECKED_FIELDS:
        text = str(content.get(key) or "").lower()
        for marker in CODE_MARKERS:
            if marker in text:
                raise fail(ERROR_TEMPLATE_UNSAFE, f"{key} contains {marker!r}")
    for key in RECIPIENT_FIELDS:
        if not placeholders_only(str(content.get(key) or "")):
            raise fail(
                ERROR_TEMPLATE_UNSAFE, f"{key}: recipients only as #PLACEHOLDERS#, e.g. #EMAIL#"
            )


def access_info(state: BridgeState) -> dict[str, Any]:
    return {
        "SERVICE_GROUP": state.access.service_group_id,
        "HLBLOCKS": state.access.block_names(),
        "USER_GROUPS": sorted(state.access.user_groups),
    }


def by_hand_block(state: BridgeState, name: str, table_name: str) -> HlBlock:
    """A block someone made in the admin panel (not declared, not allowed)."""
    block = HlBlock(state.next_id("hlblock"), name, table_name)
    state.blocks[block.id] = block
    state.existing_tables.add(table_name)
    return block
