"""`b2bsync company users list|add|role|deactivate|reactivate|limit`: a company's employees on
``b2b_company_users``, for operators.

A user may belong to several companies, with a role in each. Rows are deactivated, never
deleted, and a company keeps at least one active owner: a change that would leave none is
refused (exit 1 with the reason), as is adding someone who is a member already. Usage mistakes
(an unknown role, a bad amount) exit 2. Every change stamps ``UF_UPDATED_AT``. Companies are
named by row ID or 1C GUID, users by ID or e-mail. Output is a table on a terminal and JSON lines
otherwise (or with ``--json``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

import typer

from bitrix_client import BitrixClient
from workflows import Change, MemberRows, Membership, decide
from workflows.members import Action
from workflows.roles import Role

from .._errors import UsageError
from ..settings import Settings
from ._app import app
from ._context import app_context
from ._output import emit, json_mode
from ._people import company_of, context, on_site, user_of
from ._present import show_table

company_app = typer.Typer(
    name="company",
    help="Companies of the B2B cabinet.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
users_app = typer.Typer(
    name="users",
    help="A company's employees: roles, (de)activation, order limits.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
company_app.add_typer(users_app, name="users")
app.add_typer(company_app, name="company")

JsonOption = Annotated[bool, typer.Option("--json", help="JSON lines (the default off a TTY).")]
CompanyArg = Annotated[str, typer.Argument(help="Company ID or 1C GUID.", show_default=False)]
UserArg = Annotated[str, typer.Argument(help="User ID or e-mail.", show_default=False)]


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise UsageError(f"not an amount: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise UsageError(f"an order limit is an amount of 0 or more, not {text!r}")
    return value


async def _people(
    bitrix: BitrixClient, rows: list[Membership], settings: Settings
) -> list[dict[str, Any]]:
    ctx = context(settings, bitrix, datetime.now(UTC))
    people = await ctx.directory.recipients(sorted({r.user_id for r in rows}))
    companies = await ctx.directory.companies(sorted({r.company_id for r in rows}))
    out = []
    for row in rows:
        person = people.get(row.user_id)
        company = companies.get(row.company_id)
        out.append(
            {
                **row.to_json(),
                "company": company.name if company else "",
                "email": person.email if person else "",
                "name": person.name if person else "",
            }
        )
    return out


@users_app.command("list")
def list_cmd(
    ctx: typer.Context,
    company: Annotated[
        str | None, typer.Argument(help="Company ID or 1C GUID.", show_default=False)
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="Only this user's memberships (ID or e-mail).")
    ] = None,
    active: Annotated[bool, typer.Option("--active", help="Only active members.")] = False,
    as_json: JsonOption = False,
) -> None:
    """A company's members, or every company a user belongs to (--user)."""
    if company is None and user is None:
        raise UsageError("name a company, or a user with --user")
    settings = app_context(ctx).settings

    async def work(bitrix: BitrixClient) -> list[dict[str, Any]]:
        rows = MemberRows(bitrix)
        found: list[Membership]
        if user is not None:
            found = await rows.of_user(await user_of(bitrix, user))
            if company is not None:
                wanted = (await company_of(bitrix, company)).id
                found = [r for r in found if r.company_id == wanted]
        else:
            assert company is not None
            found = await rows.of_company((await company_of(bitrix, company)).id)
        if active:
            found = [r for r in found if r.active]
        found.sort(key=lambda r: (r.company_id, not r.active, r.role != Role.owner, r.user_id))
        return await _people(bitrix, found, settings)

    listed = on_site(settings, work)
    if json_mode(ctx, as_json):
        for row in listed:
            emit(row)
        return
    if not listed:
        typer.echo("no members")
        return
    show_table(
        ["company", "user", "name", "e-mail", "role", "active", "order limit", "changed"],
        [
            [
                f"{r['company_id']} {r['company']}".strip(),
                str(r["user_id"]),
                r["name"] or "—",
                r["email"] or "—",
                r["role"],
                "yes" if r["active"] else "no",
                r["order_limit"] or "—",
                r["updated_at"] or "—",
            ]
            for r in listed
        ],
    )


def _change(
    ctx: typer.Context,
    action: Action,
    company: str,
    user: str,
    *,
    role: str | None = None,
    order_limit: Decimal | None = None,
    as_json: bool = False,
) -> None:
    settings = app_context(ctx).settings

    async def work(bitrix: BitrixClient) -> dict[str, Any]:
        found = await company_of(bitrix, company)
        user_id = await user_of(bitrix, user)
        rows = MemberRows(bitrix)
        members = await rows.of_company(found.id)
        write = decide(
            members, Change(action, found.id, user_id, role=role, order_limit=order_limit)
        )
        outcome: dict[str, Any] = {
            "action": action.value,
            "company_id": found.id,
            "company": found.name,
            "user_id": user_id,
            "changed": write is not None,
        }
        if write is not None:
            outcome["id"] = await rows.write(write, datetime.now(UTC))
            outcome["fields"] = {
                k: (str(v) if isinstance(v, Decimal) else v) for k, v in write.fields.items()
            }
        return outcome

    outcome = on_site(settings, work)
    if json_mode(ctx, as_json):
        emit(outcome)
        return
    who = f"user {outcome['user_id']} of company {outcome['company_id']} ({outcome['company']})"
    if not outcome["changed"]:
        typer.echo(f"{who}: nothing to change")
        return
    fields = ", ".join(f"{k} {'—' if v is None else v}" for k, v in outcome["fields"].items())
    typer.echo(f"{who}: {action.value} — {fields}")


def _role(value: str) -> str:
    try:
        return Role(value.strip().lower()).value
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise UsageError(f"unknown role {value!r} (roles: {known})") from None


@users_app.command("add")
def add_cmd(
    ctx: typer.Context,
    company: CompanyArg,
    user: UserArg,
    role: Annotated[str, typer.Option("--role", help="owner, buyer, accountant or viewer.")],
    order_limit: Annotated[
        str | None, typer.Option("--order-limit", help="Orders above it need approval.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Make an existing site user a member of the company (exit 1 if they are one already)."""
    _change(
        ctx,
        Action.add,
        company,
        user,
        role=_role(role),
        order_limit=_amount(order_limit),
        as_json=as_json,
    )


@users_app.command("role")
def role_cmd(
    ctx: typer.Context,
    company: CompanyArg,
    user: UserArg,
    role: Annotated[str, typer.Argument(help="owner, buyer, accountant or viewer.")],
    as_json: JsonOption = False,
) -> None:
    """Give a member another role (refused when it would leave no active owner)."""
    _change(ctx, Action.role, company, user, role=_role(role), as_json=as_json)


@users_app.command("deactivate")
def deactivate_cmd(
    ctx: typer.Context, company: CompanyArg, user: UserArg, as_json: JsonOption = False
) -> None:
    """Switch a member off (the row stays; refused for the last active owner)."""
    _change(ctx, Action.deactivate, company, user, as_json=as_json)


@users_app.command("reactivate")
def reactivate_cmd(
    ctx: typer.Context, company: CompanyArg, user: UserArg, as_json: JsonOption = False
) -> None:
    """Switch a deactivated member on again, with the role they had."""
    _change(ctx, Action.reactivate, company, user, as_json=as_json)


@users_app.command("limit")
def limit_cmd(
    ctx: typer.Context,
    company: CompanyArg,
    user: UserArg,
    amount: Annotated[
        str | None, typer.Argument(help="The order limit; leave out with --clear.")
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="No order limit.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Set a member's order limit (UF_ORDER_LIMIT: orders above it need approval) or clear it."""
    if (amount is None) == (not clear):
        raise UsageError("give an amount, or --clear")
    _change(ctx, Action.limit, company, user, order_limit=_amount(amount), as_json=as_json)


__all__ = ["company_app", "users_app"]
