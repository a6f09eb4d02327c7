"""The demo's comment thread on the approved order: the store gets a manager for the company,
the buyer asks, the manager answers, and the manager's internal note — each row written as the
cabinet writes it — with the workflows service telling whoever the rules say, and the note
reaching nobody on the buyer's side by any channel (bell, mail, outbox)."""

from __future__ import annotations

from bitrix_client.fake import FakeUser
from workflows import ORDER_COMMENTS
from workflows.notifications import dedup_key

from ._demo_scene import Scene
from .store import SqlWorkflowStore

QUESTION = "Когда отгрузите? Бригада выходит в понедельник."
ANSWER = "Отгрузим в пятницу, накладная будет в кабинете."
NOTE = "Внутреннее: клиент просил отсрочку, сначала проверить оплату."
COMMENT = "B2B_ORDER_COMMENT"


def _hire_manager(scene: Scene) -> int:
    """The store's sales manager: a staff account made in the admin panel (no member)."""
    site = scene.box.site
    number = max(site.users) + 1
    site.users[number] = FakeUser(
        id=number,
        login="m.sokolova",
        email="m.sokolova@shop.example.ru",
        name="Марина",
        last_name="Соколова",
        group_ids=[3, 4],
    )
    return number


async def _comment(scene: Scene, author: int, text: str, *, internal: bool = False) -> int:
    """A comment as the cabinet's order page adds it (``OrderView::comment``)."""
    return await scene.admin.bridge.item_add(
        "OrderComments",
        {
            "UF_ORDER_ID": scene.orders[0],
            "UF_USER_ID": author,
            "UF_TEXT": text,
            "UF_CREATED_AT": scene.box.site.now().isoformat(timespec="seconds"),
            "UF_IS_INTERNAL": 1 if internal else 0,
        },
    )


def _reached(scene: Scene, row: int, text: str) -> tuple[int, int, int]:
    """The buyer's side (every member of the company) told of comment ``row``: bell rows, mails,
    outbox entries."""
    site = scene.box.site
    members = {
        int(r["UF_USER_ID"])
        for r in site.hl_rows("B2bCompanyUsers")
        if r["UF_COMPANY_ID"] == scene.company_id
    }
    fact = f"comment:{row}"
    bell = [
        r
        for r in site.hl_rows("B2bNotifications")
        if r["UF_USER_ID"] in members
        and (fact in str(r["UF_DEDUP_KEY"]) or text in f"{r['UF_TEXT']} {r['UF_LINK']}")
    ]
    emails = {site.users[m].email for m in members if m in site.users}
    mails = [
        m
        for m in site.bridge.mails()
        if m.fields.get("EMAIL_TO") in emails
        and (fact in (m.dedup_key or "") or any(text in v for v in m.fields.values()))
    ]
    tables = SqlWorkflowStore(scene.store)
    outbox = [e for m in members for e in tables.outbox_entries(dedup_key(COMMENT, fact, m))]
    return len(bell), len(mails), len(outbox)


def _to(scene: Scene, users: set[int]) -> list[tuple[str, str]]:
    return sorted((COMMENT, scene.email(u)) for u in users)


async def thread(scene: Scene) -> tuple[list[str], bool]:
    """Step 8."""
    manager = _hire_manager(scene)
    await scene.admin.bridge.item_update(
        "B2bCompanies", scene.company_id, {"UF_MANAGER_ID": manager}
    )
    order = scene.orders[0]
    lines = [
        f"the store's manager {scene.name(manager)} takes company #{scene.company_id} "
        "(UF_MANAGER_ID, in the admin panel)"
    ]
    heard: list[list[tuple[str, str]]] = []
    note = 0
    for author, text, internal, said in (
        (scene.buyer, QUESTION, False, "comments on"),
        (manager, ANSWER, False, "answers on"),
        (manager, NOTE, True, "writes an internal note (UF_IS_INTERNAL) on"),
    ):
        row = await _comment(scene, author, text, internal=internal)
        note = row if internal else note
        await scene.settle(ORDER_COMMENTS)
        mails = scene.new_mails()
        heard.append(sorted((m.event_name, m.fields.get("EMAIL_TO", "")) for m in mails))
        lines.append(f"{scene.name(author)} {said} order #{order}: «{text}»")
        lines += [f"  {line}" for line in scene.mail_lines(mails)]
    reached = _reached(scene, note, NOTE)
    lines.append(
        "the internal note reached nobody on the buyer's side: {} bell rows, {} mails, "
        "{} outbox entries".format(*reached)
    )
    ok = heard == [
        _to(scene, {manager}),
        _to(scene, {scene.buyer, scene.owner}),
        [],
    ] and reached == (0, 0, 0)
    return lines, ok


__all__ = ["thread"]
