import io
import re

from b2bsync import demo

NINA = "nina.novikova@example.ru"
OWNER = "novikov.2@example.ru"
MANAGER = "m.sokolova@shop.example.ru"


def _step(text: str, title: str) -> list[str]:
    """The lines of one numbered step, indentation stripped."""
    body = text.split(title, 1)[1].split("\n\n", 1)[0]
    return [line.strip() for line in body.strip("\n").splitlines()]


def test_demo_runs_end_to_end_on_the_sandbox():
    """``make demo`` itself: a boxed site, no REST limit, the ``auto`` profile."""
    out = io.StringIO()
    assert demo.main(out) == 0
    text = out.getvalue()
    service = re.search(r"/rest/(\d+)/\w+/  \(service user #(\d+); 600 orders\)", text)
    assert service is not None
    assert service.group(1) == service.group(2)
    assert "✗ schema in sync" in text  # before apply
    for job in ("companies", "orders", "documents", "credit"):
        assert f"   {job}: ok" in text
    cabinet = text.split("4. What the B2B cabinet shows")[1]
    assert cabinet.count("── ООО") + cabinet.count("── АО") + cabinet.count("── ИП") == 2
    assert "⚠ ORDERS BLOCKED: Просроченная задолженность" in cabinet
    assert "no overdue debt" in cabinet
    assert cabinet.count("found: order №") == 2
    assert "http://127.0.0.1:8480/documents/download?doc=" in cabinet
    invite = text.split("5. An invite, accepted")[1]
    assert "the accept page: 200; the form sent: 303" in invite
    assert "the store's hand-off: 302 → /personal/b2b/, logged in as user #" in invite
    assert "the link again: 410" in invite
    assert ", buyer Нина Новикова" in invite

    approved = _step(text, "6. An order needing approval, approved through the mail's link")
    assert approved[0] == f"company users limit 1 {NINA} 50000: ok (orders above it wait)"
    assert approved[1] == (
        "Нина Новикова checks out 2 line(s) for 61 500 ₽: order #601 saved in status PA"
    )
    assert approved[2:4] == [
        f"mail B2B_ORDER_CREATED → {NINA}",
        f"mail B2B_ORDER_APPROVAL_REQUIRED → {OWNER}",
    ]
    assert approved[4].startswith("the approve link: http://127.0.0.1:8480/approvals?o=601&u=")
    assert approved[5:] == [
        "the owner follows it: 200 «Согласовать заказ №601?»; "
        "the form sent: 200 «Заказ №601 согласован»",
        "the link again: 410 «Ссылка уже использована»",
        "order #601 now in status N",
        "the status log: — → PA (Нина Новикова), PA → AP (Сергей Новиков), AP → N (b2bsync)",
        f"mail B2B_ORDER_APPROVED → {NINA}",
    ]

    reason = "Дорого: генератор возьмём в аренду"
    assert _step(text, "7. Another order, rejected through the mail's link with a reason") == [
        "Нина Новикова checks out 1 line(s) for 84 900 ₽: order #602 saved in status PA",
        f"mail B2B_ORDER_CREATED → {NINA}",
        f"mail B2B_ORDER_APPROVAL_REQUIRED → {OWNER}",
        "the owner follows the reject link: 200 «Отклонить заказ №602?», "
        "the page asks «Причина отказа»",
        f"the form sent with «{reason}»: 200 «Заказ №602 отклонён»",
        f"order #602 now in status RJ, cancelled Y, reason «{reason}»",
        "the status log: — → PA (Нина Новикова), PA → RJ (Сергей Новиков)",
        f"mail B2B_ORDER_REJECTED → {NINA}, reason «{reason}»",
    ]

    thread = _step(text, "8. A comment thread on the approved order")
    assert thread[0] == (
        "the store's manager Марина Соколова takes company #1 (UF_MANAGER_ID, in the admin panel)"
    )
    assert thread[1].startswith("Нина Новикова comments on order #601: «")
    assert thread[2] == f"mail B2B_ORDER_COMMENT → {MANAGER}"
    assert thread[3].startswith("Марина Соколова answers on order #601: «")
    assert thread[4:6] == [f"mail B2B_ORDER_COMMENT → {NINA}", f"mail B2B_ORDER_COMMENT → {OWNER}"]
    assert thread[6].startswith("Марина Соколова writes an internal note (UF_IS_INTERNAL) on")
    assert thread[7:] == [
        "mails: none",
        "the internal note reached nobody on the buyer's side: "
        "0 bell rows, 0 mails, 0 outbox entries",
    ]

    assert _step(text, "9. The bell") == [
        "Сергей Новиков (owner): 3 unread — B2B_ORDER_APPROVAL_REQUIRED ×2, B2B_ORDER_COMMENT ×1",
        "Нина Новикова (buyer): 5 unread — B2B_ORDER_APPROVED ×1, B2B_ORDER_COMMENT ×1, "
        "B2B_ORDER_CREATED ×2, B2B_ORDER_REJECTED ×1",
    ]
    assert text.rstrip().endswith("demo: OK")


def test_credit_bar():
    from decimal import Decimal

    assert demo.credit_bar(Decimal(500), Decimal(1000), width=10) == "[█████░░░░░] 50% of 1 000 ₽"
    assert demo.credit_bar(Decimal(3000), Decimal(1000), width=4) == "[████] 300% of 1 000 ₽"
    assert demo.credit_bar(Decimal(7), None, width=3) == "[···] 7 ₽ used, no limit set"
