"""The invite accept page: ``/invites/accept`` (GET shows, POST accepts), ``/invites/login`` and
``/invites/hello`` (the who-am-I round trip through the store), in Russian or English by
``Accept-Language``.

``GET /invites/accept?token=…`` shows the company and the role, then one of three forms:

- **new**: the invited address has no account on the store — name, last name, password twice;
  ``POST`` makes the site user through the bridge (the site's password policy decides, and its
  reason is shown on the form), the membership and the invite ``accepted``;
- **login**: the address has an account — a button to ``/invites/login``, which sends the
  browser to the module's who-am-I page on the store (its login form first); the store sends it
  back to ``/invites/hello`` with a signed, 60 s answer naming the logged-in user, bound to this
  browser by a state cookie. Serve then keeps the user in a signed, 15-minute cookie for this
  invite and shows the **join** form (``POST``: the account must be the invited address).

After a successful ``POST`` the browser goes (303) to the module's login hand-off on the store
(signed, user-bound, 60 s, single use), which logs the user in and lands on the cabinet.
Acceptance happens once (:mod:`workflows.accept`): a second submit — another tab, a double
click — gets "being accepted" or "accepted already". Unknown, expired, revoked and used links
get their page and change nothing.

Forms are CSRF-checked by :class:`~b2bsync.web._csrf.CsrfProtect`. Every request under
``/invites/`` takes one request from its address's bucket, and those naming a link one from the
link's (a 429 page with ``Retry-After`` when empty). A token that is not 43 URL-safe characters
is refused before anything asks the site.
"""

from __future__ import annotations

import math
import re
import secrets
from typing import Any

import structlog
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from workflows import (
    Acceptance,
    AlreadyUsed,
    Busy,
    Expired,
    Invite,
    LinkInvalid,
    NewUser,
    NotAllowed,
    NotFound,
    PasswordRefused,
    Refused,
    Revoked,
    Unavailable,
    UserExists,
    token_hash,
)
from workflows.roles import ROLE_TITLES, Role

from ._csrf import cookie_header, read_cookies, sign_value, unsign_value
from ._handoff import (
    HANDOFF_TTL,
    WHOAMI_REQUEST_TTL,
    login_url,
    verify_whoami,
    whoami_request_url,
)
from ._invite_texts import FORM, MESSAGES
from ._pages import language, message_page, render
from ._ratelimit import Rate
from ._state import AppState, app_state

log = structlog.get_logger("b2bsync.web")

STATE_COOKIE = "b2bsync_invite"
WHO_COOKIE = "b2bsync_who"
#: How long the log-in round trip may take, and how long serve remembers who came back.
STATE_TTL = WHOAMI_REQUEST_TTL
WHO_TTL = 900
MAX_NAME = 50
MAX_PASSWORD = 256
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


class _Keep(dict[str, str]):
    """Placeholders the page does not fill stay as they are (``{reason}`` of an error text)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _now(state: AppState) -> float:
    return state.deps.clock().timestamp()


def _page(
    request: Request, state: AppState, status: int, code: str, *, retry: int | None = None
) -> Response:
    state.counters.invites[code] += 1
    headers = {"Retry-After": str(retry)} if retry is not None else None
    return message_page(
        request,
        status,
        code,
        default_language=state.config.language,
        headers=headers,
        texts=MESSAGES,
    )


def _limited(request: Request, state: AppState, token: str | None) -> Response | None:
    """One request from the address's bucket and, with a token, from the link's."""
    pages = state.config.invites
    now = _now(state)
    client = request.client.host if request.client else "?"
    checks: list[tuple[tuple[str, str], Rate]] = [(("ip", client), pages.per_ip)]
    if token:
        checks.append((("token", token_hash(token)), pages.per_token))
    for key, rate in checks:
        wait = state.buckets.take(key, rate, now)
        if wait is not None:
            log.warning("http.invite.limited", by=key[0])
            return _page(request, state, 429, "rate_limited", retry=max(1, math.ceil(wait)))
    return None


def _acceptance(state: AppState) -> Acceptance:
    if state.deps.workflows is None:
        raise Unavailable("no state store")
    pages = state.config.invites
    return Acceptance(
        state.bitrix,
        state.deps.workflows,
        user_groups=pages.user_groups,
        claim_stale=pages.claim_stale,
        enums=state.enums,
        languages=state.languages,
    )


def _refusal(request: Request, state: AppState, exc: Exception) -> Response:
    """The page for why an invite cannot be accepted now."""
    if isinstance(exc, Busy):
        return _page(request, state, 409, "invite_busy")
    if isinstance(exc, AlreadyUsed):
        return _page(request, state, 410, "invite_used")
    if isinstance(exc, Revoked):
        return _page(request, state, 410, "invite_revoked")
    if isinstance(exc, Expired):
        return _page(request, state, 410, "invite_expired")
    if isinstance(exc, NotAllowed):
        return _page(request, state, 403, "wrong_account")
    if isinstance(exc, Refused):
        return _page(request, state, 409, "invite_refused")
    if isinstance(exc, Unavailable):
        log.warning("http.invite.unavailable", error=str(exc))
        return _page(request, state, 503, "unavailable", retry=state.config.retry_after)
    return _page(request, state, 404, "invite_unknown")


def _who(request: Request, state: AppState, invite: Invite) -> int | None:
    """The store user serve saw come back for this invite, within the cookie's 15 minutes."""
    value = unsign_value(state.config.secret, WHO_COOKIE, request.cookies.get(WHO_COOKIE))
    if value is None:
        return None
    user, _, rest = value.partition("|")
    hashed, _, until = rest.partition("|")
    if not (user.isdigit() and until.isdigit()) or hashed != invite.token_hash:
        return None
    return int(user) if _now(state) <= int(until) else None


async def _form(
    request: Request,
    state: AppState,
    accept: Acceptance,
    invite: Invite,
    token: str,
    *,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
    mode: str | None = None,
) -> Response:
    lang = language(request, state.config.language)
    words = FORM[lang]
    company = await accept.directory.company(invite.company_id)
    known = {r.value for r in Role}
    role = ROLE_TITLES[Role(invite.role)].get(lang) if invite.role in known else invite.role
    who = _who(request, state, invite)
    name = ""
    if mode is None:
        if who is not None:
            mode = "join"
        elif await accept.account(invite.email) is not None:
            mode = "login"
        else:
            mode = "new"
    if mode == "join" and who is not None:
        person = await accept.directory.recipient(who)
        name = person.name if person else ""
    expires = invite.expires_at
    facts = {
        "company": company.name if company else "",
        "role": role,
        "email": invite.email,
        "name": name,
        "expires": expires.strftime("%d.%m.%Y %H:%M") if expires else "",
    }
    texts = {key: value.format_map(_Keep(facts)) for key, value in words.items()}
    csrf = request.scope.get("csrftoken")
    context: dict[str, Any] = {
        "lang": lang,
        "t": texts,
        "f": words,
        "mode": mode,
        "token": token,
        "email": invite.email,
        "errors": errors or [],
        "values": values or {"name": "", "last_name": ""},
        "csrftoken": csrf() if callable(csrf) else "",
    }
    state.counters.invites[f"form_{mode}"] += 1
    return render(request, "invite.html", context, status=status)


async def accept_page(request: Request) -> Response:
    state = app_state(request)
    token = request.query_params.get("token", "")
    limited = _limited(request, state, token if _TOKEN.fullmatch(token) else None)
    if limited is not None:
        return limited
    if not _TOKEN.fullmatch(token):
        return _page(request, state, 404, "invite_unknown")
    try:
        accept = _acceptance(state)
        invite = await accept.open(token, state.deps.clock())
        return await _form(request, state, accept, invite, token)
    except (NotFound, Refused, AlreadyUsed, Expired, Unavailable) as exc:
        return _refusal(request, state, exc)


def _validate(form: dict[str, str], lang: str) -> list[str]:
    words = FORM[lang]
    errors = []
    if not form.get("name", "").strip():
        errors.append(words["error_name"])
    if len(form.get("name", "")) > MAX_NAME or len(form.get("last_name", "")) > MAX_NAME:
        errors.append(words["error_long"])
    if not form.get("password"):
        errors.append(words["error_password"])
    elif form.get("password") != form.get("password2"):
        errors.append(words["error_mismatch"])
    if len(form.get("password", "")) > MAX_PASSWORD:
        errors.append(words["error_long"])
    return errors


async def accept_post(request: Request) -> Response:
    state = app_state(request)
    raw = await request.form()
    form = {key: str(value) for key, value in raw.items()}
    token = form.get("token", "")
    limited = _limited(request, state, token if _TOKEN.fullmatch(token) else None)
    if limited is not None:
        return limited
    if not _TOKEN.fullmatch(token):
        return _page(request, state, 404, "invite_unknown")
    lang = language(request, state.config.language)
    now = state.deps.clock()
    try:
        accept = _acceptance(state)
        invite = await accept.open(token, now)
        if form.get("action") == "join":
            user = _who(request, state, invite)
            if user is None:
                return _page(request, state, 403, "who_invalid")
            accepted = await accept.accept_existing(token, user, now)
        else:
            values = {"name": form.get("name", ""), "last_name": form.get("last_name", "")}
            errors = _validate(form, lang)
            if errors:
                return await _form(
                    request,
                    state,
                    accept,
                    invite,
                    token,
                    errors=errors,
                    values=values,
                    status=422,
                    mode="new",
                )
            person = NewUser(
                form["name"].strip(), form.get("last_name", "").strip(), form["password"]
            )
            try:
                accepted = await accept.accept_new(token, person, now)
            except PasswordRefused as exc:
                reason = FORM[lang]["error_site"].format(reason=str(exc))
                return await _form(
                    request,
                    state,
                    accept,
                    invite,
                    token,
                    errors=[reason],
                    values=values,
                    status=422,
                    mode="new",
                )
            except UserExists:
                return await _form(request, state, accept, invite, token, status=409, mode="login")
    except (NotFound, Refused, AlreadyUsed, Expired, Unavailable) as exc:
        return _refusal(request, state, exc)
    state.counters.invites["accepted"] += 1
    log.info("http.invite.accepted", invite=accepted.invite.id, user=accepted.user_id)
    return _after(request, state, accepted.user_id)


def _after(request: Request, state: AppState, user_id: int) -> Response:
    """To the store's hand-off, which logs the user in and lands on the cabinet; the invite's
    cookies are dropped."""
    pages = state.config.invites
    if not pages.store_url:
        response: Response = _page(request, state, 200, "accepted")
    else:
        expires = int(_now(state)) + HANDOFF_TTL
        url = login_url(
            pages.store_url + pages.handoff_path,
            state.config.secret,
            user_id,
            expires,
            secrets.token_urlsafe(24),
            pages.cabinet_path,
        )
        response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    for name in (STATE_COOKIE, WHO_COOKIE):
        response.raw_headers.append(
            (b"set-cookie", _expired(name, pages.cookie_path, pages.secure))
        )
    return response


def _expired(name: str, path: str, secure: bool) -> bytes:
    return cookie_header(name, "", path=path, secure=secure, max_age=0)


async def login(request: Request) -> Response:
    """Off to the store's who-am-I page, with a state cookie that only this browser holds."""
    state = app_state(request)
    token = request.query_params.get("token", "")
    limited = _limited(request, state, token if _TOKEN.fullmatch(token) else None)
    if limited is not None:
        return limited
    if not _TOKEN.fullmatch(token):
        return _page(request, state, 404, "invite_unknown")
    pages = state.config.invites
    try:
        await _acceptance(state).open(token, state.deps.clock())
    except (NotFound, Refused, AlreadyUsed, Expired, Unavailable) as exc:
        return _refusal(request, state, exc)
    if not pages.store_url:
        return _page(request, state, 503, "unavailable", retry=state.config.retry_after)
    nonce = secrets.token_urlsafe(24)
    back = (pages.public_url or str(request.base_url).rstrip("/")) + "/invites/hello"
    url = whoami_request_url(
        pages.store_url + pages.whoami_path,
        state.config.secret,
        back,
        nonce,
        int(_now(state)) + WHOAMI_REQUEST_TTL,
    )
    response = RedirectResponse(url, status_code=303, headers={"Cache-Control": "no-store"})
    value = sign_value(state.config.secret, STATE_COOKIE, f"{nonce}|{token}")
    response.raw_headers.append(
        (
            b"set-cookie",
            cookie_header(
                STATE_COOKIE, value, path=pages.cookie_path, secure=pages.secure, max_age=STATE_TTL
            ),
        )
    )
    return response


async def hello(request: Request) -> Response:
    """Back from the store: the signed answer must name this browser's state."""
    state = app_state(request)
    limited = _limited(request, state, None)
    if limited is not None:
        return limited
    pages = state.config.invites
    saved = unsign_value(
        state.config.secret, STATE_COOKIE, read_cookies(request.scope).get(STATE_COOKIE)
    )
    query = request.query_params
    try:
        if saved is None:
            raise LinkInvalid("no state cookie")
        nonce, _, token = saved.partition("|")
        answer = verify_whoami(
            state.config.secret,
            query.get("user"),
            query.get("state"),
            query.get("exp"),
            query.get("sig"),
            _now(state),
        )
        if not secrets.compare_digest(answer.state, nonce) or not _TOKEN.fullmatch(token):
            raise LinkInvalid("the answer is for another browser")
    except (LinkInvalid, Expired):
        log.warning("http.invite.who_refused")
        return _page(request, state, 403, "who_invalid")
    until = int(_now(state)) + WHO_TTL
    value = sign_value(
        state.config.secret, WHO_COOKIE, f"{answer.user_id}|{token_hash(token)}|{until}"
    )
    response = RedirectResponse(
        f"accept?token={token}", status_code=303, headers={"Cache-Control": "no-store"}
    )
    response.raw_headers.append(
        (
            b"set-cookie",
            cookie_header(
                WHO_COOKIE, value, path=pages.cookie_path, secure=pages.secure, max_age=WHO_TTL
            ),
        )
    )
    response.raw_headers.append(
        (b"set-cookie", _expired(STATE_COOKIE, pages.cookie_path, pages.secure))
    )
    return response


__all__ = ["STATE_COOKIE", "WHO_COOKIE", "accept_page", "accept_post", "hello", "login"]
