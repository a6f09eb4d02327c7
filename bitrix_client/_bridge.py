"""Typed facade over the ``b2bsync`` scope registered by the ``b2bsync.bridge`` PHP module."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from ._classify import build_error
from ._errors import (
    BitrixError,
    BridgeIncompatibleError,
    FatalError,
    MethodNotFoundError,
    NotFoundError,
    ProtocolError,
)
from ._filters import build_filter
from ._types import BatchItem, Command

if TYPE_CHECKING:
    from ._client import BitrixClient

SUPPORTED_API = 1
HlBlockRef = int | str
#: Rows per ``b2bsync.item.upsert`` ``ROWS`` call (the bridge takes up to 1,000) …
ROWS_PER_CALL = 500
#: … and at most about this many bytes of JSON (files travel base64 inside the rows).
BYTES_PER_CALL = 4_000_000
#: A form-encoded body is cut by PHP's max_input_vars (1,000) without an error: stay below it.
FORM_VARS_PER_CALL = 900
UPSERT = "b2bsync.item.upsert"


@dataclass(frozen=True)
class UpsertResult:
    id: int
    action: Literal["added", "updated", "unchanged"]


def _upsert_result(result: Any) -> UpsertResult:
    return UpsertResult(id=int(result["ID"]), action=result["ACTION"])


def row_outcomes(result: Any, expected: int) -> list[UpsertResult | BaseException]:
    """The answer of an ``item.upsert`` with ``ROWS`` sent inside a caller's own batch: per row,
    in order, the outcome or the error the bridge reported for that row. A short or malformed
    answer (a bridge without ``ROWS`` support) is a :class:`ProtocolError` for every row."""
    answers = _rows(result) if isinstance(result, list | dict) else []
    if len(answers) != expected:
        error = ProtocolError(
            f"{UPSERT} answered {len(answers)} outcomes for {expected} ROWS "
            "(a bridge older than the upsert_rows feature?)",
            method=UPSERT,
        )
        return [error] * expected
    return [_row_outcome(answer) for answer in answers]


def _row_outcome(outcome: Any) -> UpsertResult | BaseException:
    """One row of a ``ROWS`` answer: ``{ID, ACTION}`` or ``{ERROR, ERROR_DESCRIPTION}``."""
    if isinstance(outcome, Mapping) and "ERROR" in outcome:
        description = outcome.get("ERROR_DESCRIPTION")
        return build_error(
            outcome["ERROR"],
            description if isinstance(description, str) else "",
            status=None,
            method=UPSERT,
        )
    if isinstance(outcome, Mapping) and "ID" in outcome:
        return _upsert_result(outcome)
    return BitrixError(f"{UPSERT}: unexpected row outcome {outcome!r}", method=UPSERT)


def _chunks(
    rows: Sequence[Mapping[str, Any]], *, form: bool, per_call: int | None = None
) -> list[tuple[int, int]]:
    """``[start, end)`` of each call's rows: by count (at most ``per_call``, or
    :data:`ROWS_PER_CALL`), by JSON size, and for a form body by the number of variables PHP
    will parse."""
    limit = min(per_call or ROWS_PER_CALL, ROWS_PER_CALL)
    out: list[tuple[int, int]] = []
    start = size = variables = 0
    for index, row in enumerate(rows):
        row_size = len(json.dumps(row, ensure_ascii=False, default=str))
        row_vars = _variables(row)
        full = index - start >= limit or size + row_size > BYTES_PER_CALL
        if form and variables + row_vars > FORM_VARS_PER_CALL:
            full = True
        if index > start and full:
            out.append((start, index))
            start, size, variables = index, 0, 0
        size += row_size
        variables += row_vars
    out.append((start, len(rows)))
    return out


def _variables(value: Any) -> int:
    if isinstance(value, Mapping):
        return sum(_variables(v) for v in value.values()) or 1
    if isinstance(value, list | tuple):
        return sum(_variables(v) for v in value) or 1
    return 1


def _repeats_keys(
    key: Sequence[str], rows: Sequence[Mapping[str, Any]], chunks: list[tuple[int, int]]
) -> bool:
    """Whether some key value occurs in two chunks (compared case-insensitively, as the site)."""
    seen: dict[tuple[str, ...], int] = {}
    for number, (start, end) in enumerate(chunks):
        for row in rows[start:end]:
            value = tuple(str(row.get(name, "")).casefold() for name in key)
            if seen.setdefault(value, number) != number:
                return True
    return False


def _rows(result: Any) -> list[dict[str, Any]]:
    """A bridge list answer: a JSON list, or ``{}``-keyed rows when PHP sent an object."""
    if isinstance(result, dict):
        result = list(result.values())
    return [r for r in result if isinstance(r, dict)] if isinstance(result, list) else []


def _flag(value: bool) -> str:
    return "Y" if value else "N"


def bridge_not_installed() -> BridgeIncompatibleError:
    return BridgeIncompatibleError(
        "the b2bsync.bridge module is not installed on the site "
        "(b2bsync.info answers ERROR_METHOD_NOT_FOUND)"
    )


def check_bridge_info(info: Any) -> dict[str, Any]:
    """``info`` if its ``API`` major version is the one this client speaks, else raise."""
    if not isinstance(info, dict):
        raise BridgeIncompatibleError(f"b2bsync.info answered {type(info).__name__}, not an object")
    major = int(str(info.get("API", "0")).split(".")[0] or 0)
    if major != SUPPORTED_API:
        raise BridgeIncompatibleError(
            f"b2bsync.bridge speaks API {info.get('API')} (module {info.get('VERSION')}); "
            f"this b2bsync needs API {SUPPORTED_API}"
        )
    return info


class BridgeAPI:
    def __init__(self, client: BitrixClient) -> None:
        self._client = client
        self._features: frozenset[str] | None = None

    async def _call(self, method: str, params: Mapping[str, Any] | None = None) -> Any:
        return (await self._client.call(method, dict(params or {}))).result

    # module ------------------------------------------------------------------------------
    async def info(self) -> dict[str, Any]:
        """``{VERSION, API, SITE_ID, LANGUAGES, PERSON_TYPES, FEATURES}``; raises
        :class:`MethodNotFoundError` when the module is not installed."""
        return await self._call("b2bsync.info")  # type: ignore[no-any-return]

    async def ensure_compatible(self) -> dict[str, Any]:
        try:
            info = await self.info()
        except MethodNotFoundError as exc:
            raise bridge_not_installed() from exc
        checked = check_bridge_info(info)
        self._features = frozenset(str(f) for f in checked.get("FEATURES") or ())
        return checked

    async def features(self) -> frozenset[str]:
        """The bridge's ``FEATURES`` (read once per client)."""
        if self._features is None:
            await self.ensure_compatible()
        return self._features or frozenset()

    # HL-blocks ---------------------------------------------------------------------------
    async def hlblocks(self) -> list[dict[str, Any]]:
        """Every HL-block, by ID (the list is not paged)."""
        return _rows(await self._call("b2bsync.hlblock.list"))

    async def hlblock_get(self, ref: HlBlockRef) -> dict[str, Any] | None:
        key = "ID" if isinstance(ref, int) else "NAME"
        try:
            return await self._call("b2bsync.hlblock.get", {key: ref})  # type: ignore[no-any-return]
        except NotFoundError:
            return None

    async def declare(self, names: Sequence[str]) -> list[str]:
        """Declare the HL-blocks b2bsync will use (``b2bsync.hlblock.declare``): only a declared
        block may be added, and an existing block that is not b2bsync's cannot be declared (an
        administrator allows it on the module settings page). Answers every declared name."""
        return [str(n) for n in await self._call("b2bsync.hlblock.declare", {"NAMES": list(names)})]

    async def hlblock_add(self, name: str, table_name: str, lang: Mapping[str, str]) -> int:
        """A new HL-block; its name is declared first (the bridge adds declared blocks only)."""
        await self.declare([name])
        return int(
            await self._call(
                "b2bsync.hlblock.add", {"NAME": name, "TABLE_NAME": table_name, "LANG": dict(lang)}
            )
        )

    async def hlblock_update(self, hlblock_id: int, lang: Mapping[str, str]) -> None:
        """Change the block's names; only the languages given change."""
        await self._call("b2bsync.hlblock.update", {"ID": hlblock_id, "LANG": dict(lang)})

    async def fields(self, hlblock_id: int) -> list[dict[str, Any]]:
        """The block's user fields by SORT, ID (with ``LIST`` for enumerations; not paged)."""
        return _rows(await self._call("b2bsync.hlblock.field.list", {"HLBLOCK_ID": hlblock_id}))

    async def field_get(self, field_id: int) -> dict[str, Any] | None:
        try:
            return await self._call("b2bsync.hlblock.field.get", {"ID": field_id})  # type: ignore[no-any-return]
        except NotFoundError:
            return None

    async def field_add(self, hlblock_id: int, field: Mapping[str, Any]) -> int:
        return int(
            await self._call(
                "b2bsync.hlblock.field.add", {"HLBLOCK_ID": hlblock_id, "FIELD": dict(field)}
            )
        )

    async def field_update(self, field_id: int, field: Mapping[str, Any]) -> None:
        """Labels merge per language, ``SETTINGS`` replaces, ``LIST`` items match by XML_ID;
        the type, name and multiplicity never change (``ERROR_FIELD_IMMUTABLE``)."""
        await self._call("b2bsync.hlblock.field.update", {"ID": field_id, "FIELD": dict(field)})

    async def indexes(self, hlblock_id: int) -> list[dict[str, Any]]:
        """``[{NAME, FIELDS, UNIQUE}]`` by NAME; the primary key is not listed."""
        return _rows(await self._call("b2bsync.hlblock.index.list", {"HLBLOCK_ID": hlblock_id}))

    async def index_ensure(
        self, hlblock_id: int, name: str, fields: Sequence[str], *, unique: bool
    ) -> None:
        """Create the index unless it exists as asked; another index of that name is
        ``ERROR_INDEX_CONFLICT`` (never dropped)."""
        await self._call(
            "b2bsync.hlblock.index.ensure",
            {
                "HLBLOCK_ID": hlblock_id,
                "NAME": name,
                "FIELDS": list(fields),
                "UNIQUE": _flag(unique),
            },
        )

    # rows --------------------------------------------------------------------------------
    def items(
        self,
        hlblock: HlBlockRef,
        flt: Mapping[str, Any] | None = None,
        select: Sequence[str] | None = None,
    ) -> AsyncIterator[dict[str, Any]]:
        params: dict[str, Any] = {"HLBLOCK": hlblock, "filter": build_filter(flt)}
        if select:
            params["select"] = list(select)
        return self._client.iterate("b2bsync.item.list", params, id_field="ID")

    async def item_get(self, hlblock: HlBlockRef, item_id: int) -> dict[str, Any] | None:
        try:
            return await self._call("b2bsync.item.get", {"HLBLOCK": hlblock, "ID": item_id})  # type: ignore[no-any-return]
        except NotFoundError:
            return None

    async def item_add(self, hlblock: HlBlockRef, fields: Mapping[str, Any]) -> int:
        return int(
            await self._call("b2bsync.item.add", {"HLBLOCK": hlblock, "FIELDS": dict(fields)})
        )

    async def item_update(
        self, hlblock: HlBlockRef, item_id: int, fields: Mapping[str, Any]
    ) -> None:
        await self._call(
            "b2bsync.item.update", {"HLBLOCK": hlblock, "ID": item_id, "FIELDS": dict(fields)}
        )

    async def item_delete(self, hlblock: HlBlockRef, item_id: int) -> None:
        await self._call("b2bsync.item.delete", {"HLBLOCK": hlblock, "ID": item_id})

    async def item_upsert(
        self, hlblock: HlBlockRef, key: Sequence[str], fields: Mapping[str, Any]
    ) -> UpsertResult:
        """Insert or update by ``key`` fields; replaying it never adds a second row."""
        result = await self._call(
            "b2bsync.item.upsert", {"HLBLOCK": hlblock, "KEY": list(key), "FIELDS": dict(fields)}
        )
        return _upsert_result(result)

    async def upsert_many(
        self, hlblock: HlBlockRef, key: Sequence[str], rows: Sequence[Mapping[str, Any]]
    ) -> list[UpsertResult | BaseException]:
        """Upsert every row; each row's outcome or error, in input order.

        With a bridge that takes ``ROWS`` (1.1+), rows go in chunks of up to
        :data:`ROWS_PER_CALL` (smaller when they are large), one request each, as many at once
        as the client's limiter allows — a request carries hundreds of rows, so writes run at the
        site's own speed instead of the cloud bucket's request rate. A key repeated across chunks
        would race with itself, so such input is sent one chunk at a time. An older bridge gets
        single upserts, 50 per ``batch``.
        """
        if not rows:
            return []
        if "upsert_rows" not in await self.features():
            return await self._upsert_batched(hlblock, key, rows)
        form = self._client.body == "form"
        chunks = _chunks(rows, form=form)
        limiter = self._client.limiter
        lanes = limiter.in_flight.limit
        if len(chunks) > 1 and len(chunks) % lanes:
            # as many chunks as a whole number of rounds of requests at once, evenly sized: six
            # chunks on four lanes would leave two lanes idle for the second round. Only while
            # the bucket has room for them all: once it is empty, every extra request costs
            # half a second of its drain, and fewer, larger requests go faster
            rounds = -(-len(chunks) // lanes)
            even = _chunks(rows, form=form, per_call=-(-len(rows) // (rounds * lanes)))
            if len(even) <= limiter.spare():
                chunks = even
        base = {"HLBLOCK": hlblock, "KEY": list(key)}
        if _repeats_keys(key, rows, chunks):
            answers = [await self._upsert_chunk(base, rows[a:b]) for a, b in chunks]
        else:
            answers = await asyncio.gather(
                *(self._upsert_chunk(base, rows[a:b]) for a, b in chunks)
            )
        return [outcome for answer in answers for outcome in answer]

    async def _upsert_chunk(
        self, base: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
    ) -> list[UpsertResult | BaseException]:
        try:
            result = await self._call(UPSERT, {**base, "ROWS": [dict(r) for r in rows]})
        except FatalError:
            raise
        except BitrixError as exc:
            return [exc] * len(rows)
        return row_outcomes(result, len(rows))

    async def _upsert_batched(
        self, hlblock: HlBlockRef, key: Sequence[str], rows: Sequence[Mapping[str, Any]]
    ) -> list[UpsertResult | BaseException]:
        items: list[BatchItem] = await self._client.batch(
            Command(UPSERT, {"HLBLOCK": hlblock, "KEY": list(key), "FIELDS": dict(r)}) for r in rows
        )
        out: list[UpsertResult | BaseException] = []
        for item in items:
            try:
                out.append(_upsert_result(item.unwrap()))
            except Exception as exc:
                out.append(exc)
        return out

    # users and mail ----------------------------------------------------------------------
    async def recipients(self, user_ids: Sequence[int]) -> list[dict[str, Any]]:
        """``[{ID, EMAIL, NAME, LAST_NAME, ACTIVE, LANGUAGE_ID, GROUP_IDS}]`` of up to 50 users
        (unknown IDs are left out); ``LANGUAGE_ID`` is ``""`` when the user never chose one;
        ``GROUP_IDS`` their explicit, active group memberships."""
        return _rows(await self._call("b2bsync.recipient.list", {"IDS": list(user_ids)}))

    async def link_info(self, nonce: str) -> dict[str, Any]:
        """The module's link settings and the probe signature of ``probe-<nonce>`` (see the
        contract README, "link.info")."""
        return await self._call("b2bsync.link.info", {"NONCE": nonce})  # type: ignore[no-any-return]

    async def user_find(self, email: str) -> dict[str, Any] | None:
        return await self._call("b2bsync.user.find", {"EMAIL": email})  # type: ignore[no-any-return]

    async def user_add(
        self,
        email: str,
        *,
        name: str = "",
        last_name: str = "",
        password: str,
        group_ids: Sequence[int] = (),
        login: str | None = None,
    ) -> int:
        """A new site user (``LOGIN`` defaults to the e-mail on the bridge side)."""
        params: dict[str, Any] = {
            "EMAIL": email,
            "NAME": name,
            "LAST_NAME": last_name,
            "PASSWORD": password,
            "GROUP_IDS": list(group_ids),
        }
        if login:
            params["LOGIN"] = login
        return int(await self._call("b2bsync.user.add", params))

    async def mail_types(self, event_name: str | None = None) -> list[dict[str, Any]]:
        """Event types ``[{ID, EVENT_NAME, LID, NAME, DESCRIPTION, SORT}]`` (one per language)."""
        params = {"EVENT_NAME": event_name} if event_name else {}
        return _rows(await self._call("b2bsync.mail.type.list", params))

    async def mail_templates(self, event_name: str | None = None) -> list[dict[str, Any]]:
        """Templates with ``LID`` (list of sites), ``LANGUAGE_ID``, ``MANAGED`` and ``EDITED``."""
        params = {"EVENT_NAME": event_name} if event_name else {}
        return _rows(await self._call("b2bsync.mail.template.list", params))

    async def mail_type_ensure(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        return await self._call("b2bsync.mail.type.ensure", fields)  # type: ignore[no-any-return]

    async def mail_template_ensure(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """``{ID, ACTION}``; ACTION ``kept`` means a human edited the template (or it is not
        ours) and nothing was written."""
        return await self._call("b2bsync.mail.template.ensure", fields)  # type: ignore[no-any-return]

    async def mail_send(
        self,
        event_name: str,
        lid: str,
        fields: Mapping[str, Any],
        dedup_key: str | None = None,
        *,
        language_id: str | None = None,
    ) -> dict[str, Any]:
        """Queue a mail event; the same ``dedup_key`` never sends twice. An empty or missing key
        is left out (the bridge refuses ``""``), and such a send is not retried after a timeout.

        ``language_id`` is the recipient's language (one of the site's, else the bridge answers
        ``ERROR_ARGUMENT``): Bitrix then uses only that language's templates. Without it every
        language's template sends a mail — pass it.
        """
        params: dict[str, Any] = {"EVENT_NAME": event_name, "LID": lid, "FIELDS": dict(fields)}
        if language_id is not None:
            params["LANGUAGE_ID"] = language_id
        if dedup_key:
            params["DEDUP_KEY"] = dedup_key
        return await self._call("b2bsync.mail.send", params)  # type: ignore[no-any-return]

    # -- orders ---------------------------------------------------------------------------------
    async def order_status_set(
        self,
        order_id: int,
        status_id: str,
        *,
        user_id: int | None = None,
        reason: str = "",
        from_status: str | None = None,
    ) -> dict[str, Any]:
        """Change an order's status as ``user_id`` (default: the caller) with ``reason`` in the
        status log (``b2bsync.order.status.set``; only the approval statuses and the configured
        next status). ``{ID, OLD_STATUS, STATUS_ID, CHANGED}``; ``CHANGED`` is false when the
        order already had ``status_id`` or, with ``from_status``, no longer had that one."""
        params: dict[str, Any] = {"ID": order_id, "STATUS_ID": status_id}
        if user_id is not None:
            params["USER_ID"] = user_id
        if reason:
            params["REASON"] = reason
        if from_status is not None:
            params["FROM_STATUS"] = from_status
        return await self._call("b2bsync.order.status.set", params)  # type: ignore[no-any-return]

    # -- module options ------------------------------------------------------------------------
    async def option_get(self, name: str) -> Any:
        """A module option b2bsync writes (``roles``): its JSON value, ``None`` when never set."""
        return await self._call("b2bsync.option.get", {"NAME": name})

    async def option_set(self, name: str, value: Any) -> str:
        """Store a module option; ``added``, ``updated`` or ``unchanged``. Sent as JSON text, the
        one form that survives form encoding (numbers, empty lists)."""
        text = json.dumps(value, ensure_ascii=False)
        result = await self._call("b2bsync.option.set", {"NAME": name, "VALUE": text})
        return str(result["ACTION"])
