"""The [approval] section: defaults, validation, and the unknown-key check covering it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from b2bsync._errors import ConfigError
from b2bsync.settings import ApprovalSettings, load_settings


def test_defaults() -> None:
    approval = ApprovalSettings()
    assert (approval.over_credit, approval.when_blocked) == ("approval", "refuse")
    assert approval.self_approval is False
    assert approval.next_status == "N"
    assert approval.remind_after == timedelta(hours=24)
    assert approval.escalate_after == timedelta(hours=72)


@pytest.mark.parametrize(
    ("field", "value"),
    [("next_status", "NEW"), ("over_credit", "maybe"), ("remind_after", "0")],
)
def test_bad_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError):
        ApprovalSettings.model_validate({field: value})


def test_read_from_the_file_and_misspellings_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "b2bsync.toml"
    path.write_text('[approval]\nover_credit = "refuse"\nnext_status = "p"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.approval.over_credit == "refuse"
    assert settings.approval.next_status == "P"
    path.write_text('[approval]\nover_credt = "refuse"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"did you mean approval\.over_credit"):
        load_settings(path)
