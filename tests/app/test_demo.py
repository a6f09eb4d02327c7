import io

from b2bsync import demo


def test_demo_runs_end_to_end_on_the_sandbox():
    out = io.StringIO()
    assert demo.main(out) == 0
    text = out.getvalue()
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
    assert text.rstrip().endswith("demo: OK")


def test_credit_bar():
    from decimal import Decimal

    assert demo.credit_bar(Decimal(500), Decimal(1000), width=10) == "[█████░░░░░] 50% of 1 000 ₽"
    assert demo.credit_bar(Decimal(3000), Decimal(1000), width=4) == "[████] 300% of 1 000 ₽"
    assert demo.credit_bar(Decimal(7), None, width=3) == "[···] 7 ₽ used, no limit set"
