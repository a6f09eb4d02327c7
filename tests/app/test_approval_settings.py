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


def test_the_workflows_and_the_web_app_get_the_same_approval_rules() -> None:
    from b2bsync._wiring import approval_config, service_config, web_config
    from b2bsync.settings import Settings

    secret = "s3cr3t-key-for-tests-0123456789abcdef"
    settings = Settings(
        bitrix={"status_pending": "WA"},
        approval={"self_approval": True, "override_groups": [7], "next_status": "P"},
        web={"secret": secret, "public_url": "https://shop.example.ru/b2bsync/"},
    )
    config = approval_config(settings)
    assert (config.pending, config.approved, config.rejected) == ("WA", "AP", "RJ")
    assert (config.next_status, config.self_approval) == ("P", True)
    assert config.override_groups == frozenset({7})
    assert config.links is not None
    assert config.links.base_url == "https://shop.example.ru/b2bsync"
    assert service_config(settings).watch.approval == config
    web = web_config(settings)
    assert web.approval == config
    assert web.invites.secure is True  # the form cookies are Secure behind https
    # without a public address there are no one-click links, and cookies are not Secure
    plain = Settings(web={"secret": secret})
    assert approval_config(plain).links is None
    assert web_config(plain).invites.secure is False


def test_the_next_status_may_not_be_the_pending_one() -> None:
    from b2bsync._errors import ConfigError
    from b2bsync.schema import schema_config
    from b2bsync.settings import BitrixSettings

    with pytest.raises(ConfigError, match=r"approval\.next_status: PA is the pending status"):
        schema_config(BitrixSettings(), ApprovalSettings(next_status="PA"))
    options = schema_config(BitrixSettings(), ApprovalSettings(next_status="P")).module_options
    assert options["approval_statuses"] == {
        "pending": "PA",
        "approved": "AP",
        "rejected": "RJ",
        "next": "P",
    }
