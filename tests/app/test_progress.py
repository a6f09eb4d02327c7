import io
import json

from rich.console import Console

from b2bsync._progress import BarProgress, JsonLinesProgress, progress_for


def test_json_lines_are_throttled_and_flushed():
    now = [0.0]
    out = io.StringIO()
    progress = JsonLinesProgress("documents", out, every=1.0, clock=lambda: now[0])
    progress.stage("documents", total=3)
    progress.advance()  # at t=0: emitted (first)
    now[0] = 0.5
    progress.advance()  # throttled
    progress.event("sync.documents.company", company="g-1", read=2)
    progress.close()  # flushes the last count
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["event"] for line in lines] == [
        "sync.stage",
        "sync.progress",
        "sync.documents.company",
        "sync.progress",
    ]
    assert lines[-1]["done"] == 2
    assert all(line["job"] == "documents" for line in lines)


def test_bar_on_a_terminal():
    out = io.StringIO()
    progress = BarProgress("credit", Console(file=out, force_terminal=True, width=100))
    progress.stage("credit", total=4)
    progress.advance(4)
    progress.event("sync.credit.stale", count=1)
    progress.close()
    text = out.getvalue()
    assert "credit: credit" in text
    assert "4/4" in text
    assert "sync.credit.stale" in text


def test_the_orders_bar_shows_its_total_and_an_eta():
    out = io.StringIO()
    now = [0.0]
    console = Console(file=out, force_terminal=True, width=120)
    progress = BarProgress("orders", console, clock=lambda: now[0])
    progress.stage("orders", total=20000)
    for _ in range(10):
        now[0] += 1.0
        progress.advance(500)
    progress.close()
    text = out.getvalue()
    assert "5000/20000" in text
    assert "ETA" in text
    assert "0:00:30" in text, "15,000 left at 500 a second"


def test_choice_follows_the_terminal():
    assert isinstance(progress_for("orders", tty=False), JsonLinesProgress)
