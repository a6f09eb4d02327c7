"""The module's two public pages for b2bsync's invite flow, and the store's log-in, as a real
site serves them (``lib/invitepages.php``, ``install/tools/b2bsync/``;
``bridge/contract/handoff.json``):

- ``GET /bitrix/tools/b2bsync/handoff.php?user&exp&nonce&path&sig`` — the login hand-off:
  pattern, MAC (the ``link_secret`` option), ``now <= exp <= now + 60``, never an administrator
  or a service user, never an inactive user, the nonce once; then the visitor is logged in (a new
  ``PHPSESSID`` cookie) and redirected (302) to ``path``. Anything else: a 403 page, nothing
  recorded;
- ``GET /bitrix/tools/b2bsync/whoami.php?return&state&exp&sig`` — ``NEED_AUTH``: a visitor who is
  not logged in gets the site's login form (``POST`` with ``USER_LOGIN`` / ``USER_PASSWORD`` to the
  same URL logs in, as Bitrix's auth form does); for a logged-in user a verified request is
  answered with a 302 to ``return`` carrying ``user``, ``state``, ``exp`` (now + 60), ``sig``;
- ``GET /personal/…`` — a page of the store that says who is logged in (``data-user``), standing
  for the cabinet the hand-off lands on.

Sessions, logins and used nonces stay in ``site.bridge.pages`` for the tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import re
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlencode

if TYPE_CHECKING:
    from ._site import FakeSite

TOOLS = "/bitrix/tools/b2bsync/"
HANDOFF = TOOLS + "handoff.php"
WHOAMI = TOOLS + "whoami.php"
STORE_PAGES = "/personal/"
SESSION = "PHPSESSID"
MAX_LIFETIME = 60

_USER = re.compile(r"[1-9][0-9]{0,18}")
_TIME = re.compile(r"0|[1-9][0-9]{0,18}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")
_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\\]*")
_RETURN = re.compile(r"https?://[^\s\x00-\x1f]+")
_SIG = re.compile(r"[A-Za-z0-9_-]{43}")


@dataclass
class PageState:
    sessions: dict[str, int] = field(default_factory=dict)  # PHPSESSID → user
    nonces: dict[str, int] = field(default_factory=dict)  # used nonce → expiry
    logins: list[tuple[int, str]] = field(default_factory=list)  # (user, how: handoff | form)
    refused: list[str] = field(default_factory=list)  # reasons, for tests

    def login(self, user_id: int) -> str:
        """A session for ``user_id`` (what logging in on the store leaves in the browser)."""
        session = secrets.token_hex(16)
        self.sessions[session] = user_id
        return session


@dataclass
class Page:
    status: int
    body: str
    headers: list[tuple[str, str]] = field(default_factory=list)


def _mac(secret: str, message: str) -> str:
    digest = hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _matches(given: str, expected: str) -> bool:
    return bool(_SIG.fullmatch(given)) and hmac.compare_digest(given, expected)


def _fits(value: str, pattern: re.Pattern[str], limit: int = 1024) -> bool:
    return len(value) <= limit and pattern.fullmatch(value) is not None


def _page(status: int, title: str, text: str, headers: list[tuple[str, str]] | None = None) -> Page:
    body = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>"
    )
    return Page(status, body, headers or [])


def _refused(state: PageState, reason: str) -> Page:
    state.refused.append(reason)
    return _page(
        403,
        "Ссылка недействительна",
        "Ссылка устарела или уже использована. Войдите на сайт с помощью логина и пароля.",
    )


def _cookie(session: str) -> tuple[str, str]:
    return ("set-cookie", f"{SESSION}={session}; path=/; HttpOnly; SameSite=Lax")


def _session_user(site: FakeSite, cookies: dict[str, str]) -> int | None:
    user = site.bridge.pages.sessions.get(cookies.get(SESSION, ""))
    found = site.users.get(user) if user else None
    return found.id if found is not None and found.active else None


def _hidden(site: FakeSite, user_id: int) -> bool:
    """Administrators and the module's service users are never logged in by a hand-off."""
    user = site.users.get(user_id)
    if user is None:
        return True
    service = site.bridge.access.service_group_id
    return user.admin or 1 in user.group_ids or (service is not None and service in user.group_ids)


def handoff(site: FakeSite, query: dict[str, str]) -> Page:
    state = site.bridge.pages
    secret = site.bridge.options.get("link_secret", "")
    user, exp, nonce, path, sig = (
        query.get(k, "") for k in ("user", "exp", "nonce", "path", "sig")
    )
    if not secret or not (
        _fits(user, _USER)
        and _fits(exp, _TIME)
        and _fits(nonce, _NONCE)
        and _fits(path, _PATH, 512)
    ):
        return _refused(state, "malformed")
    if not _matches(sig, _mac(secret, f"b2bsync-login-v1\n{user}\n{exp}\n{nonce}\n{path}")):
        return _refused(state, "signature")
    now = int(site.timestamp())
    if now > int(exp):
        return _refused(state, "expired")
    if int(exp) - now > MAX_LIFETIME:
        return _refused(state, "too_long")
    found = site.users.get(int(user))
    if found is None or not found.active or _hidden(site, found.id):
        return _refused(state, "user")
    state.nonces = {n: e for n, e in state.nonces.items() if e >= now}
    if nonce in state.nonces:
        return _refused(state, "used")
    state.nonces[nonce] = int(exp)
    session = state.login(found.id)
    state.logins.append((found.id, "handoff"))
    return Page(302, "", [("location", path), _cookie(session)])


def _login_form(action: str, error: str = "") -> Page:
    message = f"<p class='error'>{html.escape(error)}</p>" if error else ""
    body = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Авторизация</title></head>"
        f"<body><h1>Авторизация</h1>{message}"
        f"<form method='post' action='{html.escape(action)}'>"
        "<input type='hidden' name='AUTH_FORM' value='Y'><input type='hidden' name='TYPE' "
        "value='AUTH'><input type='text' name='USER_LOGIN'><input type='password' "
        "name='USER_PASSWORD'><input type='submit' name='Login' value='Войти'></form>"
        "</body></html>"
    )
    return Page(200, body)


def whoami(
    site: FakeSite,
    query: dict[str, str],
    cookies: dict[str, str],
    form: dict[str, str] | None,
    target: str,
) -> Page:
    state = site.bridge.pages
    headers: list[tuple[str, str]] = []
    user = _session_user(site, cookies)
    if user is None:
        if form is None or form.get("AUTH_FORM") != "Y":
            return _login_form(target)
        login = form.get("USER_LOGIN", "")
        password = hashlib.sha256(form.get("USER_PASSWORD", "").encode()).hexdigest()
        found = next(
            (u for u in site.users.values() if u.login == login and u.password == password), None
        )
        if found is None or not found.active:
            return _login_form(target, "Неверный логин или пароль.")
        session = state.login(found.id)
        state.logins.append((found.id, "form"))
        headers.append(_cookie(session))
        user = found.id
    secret = site.bridge.options.get("link_secret", "")
    back, nonce, exp, sig = (query.get(k, "") for k in ("return", "state", "exp", "sig"))
    if not secret or not (_fits(back, _RETURN) and _fits(nonce, _NONCE) and _fits(exp, _TIME)):
        return _refused(state, "malformed")
    if not _matches(sig, _mac(secret, f"b2bsync-whoami-req-v1\n{back}\n{nonce}\n{exp}")):
        return _refused(state, "signature")
    now = int(site.timestamp())
    if now > int(exp):
        return _refused(state, "expired")
    expires = now + MAX_LIFETIME
    answer = urlencode(
        {
            "user": user,
            "state": nonce,
            "exp": expires,
            "sig": _mac(secret, f"b2bsync-whoami-v1\n{user}\n{nonce}\n{expires}"),
        },
        quote_via=quote,
        safe="",
    )
    separator = "&" if "?" in back else "?"
    return Page(302, "", [("location", f"{back}{separator}{answer}"), *headers])


def store_page(site: FakeSite, path: str, cookies: dict[str, str]) -> Page:
    user = _session_user(site, cookies)
    who = f"<p data-user='{user or 0}'>" + (f"user {user}" if user else "not logged in") + "</p>"
    body = (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Кабинет</title></head>"
        f"<body><h1>Кабинет</h1>{who}<p class='path'>{html.escape(path)}</p></body></html>"
    )
    return Page(200, body)


def cookies_of(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            out[name] = value
    return out


def answer(
    site: FakeSite, method: str, path: str, query: str, headers: dict[str, str], body: bytes
) -> Page | None:
    """The page for ``path`` (``None``: not one of these pages)."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    cookies = cookies_of(headers.get("cookie", ""))
    if path == HANDOFF and method in ("GET", "HEAD"):
        return handoff(site, params)
    if path == WHOAMI and method in ("GET", "POST"):
        form = dict(parse_qsl(body.decode("utf-8", "replace"))) if method == "POST" else None
        target = path + (f"?{query}" if query else "")
        return whoami(site, params, cookies, form, target)
    if path.startswith(STORE_PAGES) and method in ("GET", "HEAD"):
        return store_page(site, path, cookies)
    return None


__all__ = ["HANDOFF", "SESSION", "STORE_PAGES", "WHOAMI", "Page", "PageState", "answer"]
