"""``b2bsync.user.*``: find a site user by e-mail, add one (``CUser`` on a real site).

Users are the site's own (``site.users``); passwords are kept only as a SHA-256 digest. Like a
fresh e-shop install the site adds its rating groups (3 and 4) to every new user; ``GROUP_IDS``
reports explicit memberships only (:func:`._bridge_access.reported_groups`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from ._api import CallContext, MethodRegistry
from ._bridge_access import check_user_groups, hides_user, reported_groups
from ._bridge_params import (
    ERROR_ARGUMENT,
    ERROR_USER_ADD,
    ERROR_USER_EXISTS,
    SCOPE,
    Params,
    as_list,
    fail,
    parse_positive_int,
    yn,
)
from ._bridge_rules import normalize_email
from ._site import FakeSite, FakeUser

USER_METHODS = MethodRegistry()
#: The default policy of a fresh site ("minimum password length 6"); stricter sites refuse more.
MIN_PASSWORD = 6
MIN_LOGIN = 3


def user_answer(site: FakeSite, user: FakeUser) -> dict[str, Any]:
    return {
        "ID": user.id,
        "LOGIN": user.login,
        "EMAIL": user.email,
        "NAME": user.name,
        "LAST_NAME": user.last_name,
        "ACTIVE": yn(user.active),
        "GROUP_IDS": reported_groups(site, user.group_ids),
    }


def find_by_email(site: FakeSite, email: str) -> FakeUser | None:
    """The lowest-ID user with that e-mail, compared case-insensitively like the database."""
    wanted = email.casefold()
    found = [u for u in site.users.values() if u.email.casefold() == wanted]
    return min(found, key=lambda u: u.id) if found else None


@USER_METHODS.add("b2bsync.user.find", SCOPE)
def user_find(ctx: CallContext) -> dict[str, Any] | None:
    email = normalize_email(Params(ctx.params).string("EMAIL"))
    user = find_by_email(ctx.site, email)
    if user is None or hides_user(ctx.site, user):
        return None
    return user_answer(ctx.site, user)


@USER_METHODS.add("b2bsync.user.add", SCOPE)
def user_add(ctx: CallContext) -> int:
    params = Params(ctx.params)
    site = ctx.site
    email = normalize_email(params.string("EMAIL"))
    password = params.string("PASSWORD")
    login = params.string("LOGIN", required=False, default=email).strip()
    name = params.string("NAME", required=False)
    last_name = params.string("LAST_NAME", required=False)
    groups = _groups(params)
    check_user_groups(site, groups)
    if find_by_email(site, email) is not None:
        raise fail(ERROR_USER_EXISTS, "a user with this e-mail exists")
    if any(u.login.casefold() == login.casefold() for u in site.users.values()):
        raise fail(ERROR_USER_EXISTS, "a user with this login exists")
    if len(login) < MIN_LOGIN:
        raise fail(ERROR_USER_ADD, f"the login must be at least {MIN_LOGIN} characters long")
    if len(password) < MIN_PASSWORD:
        raise fail(ERROR_USER_ADD, f"the password must be at least {MIN_PASSWORD} characters long")
    user = FakeUser(
        id=max(site.users, default=0) + 1,
        login=login,
        email=email,
        name=name,
        last_name=last_name,
        group_ids=sorted({*groups, *site.rating_groups}),
        password=hashlib.sha256(password.encode()).hexdigest(),
    )
    site.users[user.id] = user
    return user.id


def _groups(params: Params) -> list[int]:
    if not params.has("GROUP_IDS"):
        return []
    out: list[int] = []
    for item in as_list(params.get("GROUP_IDS"), "GROUP_IDS"):
        group = parse_positive_int(item)
        if group is None:
            raise fail(ERROR_ARGUMENT, "GROUP_IDS must list group IDs")
        out.append(group)
    return sorted(set(out))
