import io

from b2bsync import demo


def test_demo_runs_end_to_end_on_the_sandbox():
    out = io.StringIO()
    assert demo.main(out) == 0
    text = out.getvalue()
    assert "✗ schema in sync" in text  # before apply
    assert "✓ schema in sync" in text  # after apply
    assert text.rstrip().endswith("demo: OK")
