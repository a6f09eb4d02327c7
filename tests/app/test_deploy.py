"""The systemd units run commands that exist and timers start units that exist."""

import configparser
import shlex
from pathlib import Path

import pytest

from b2bsync.cli._main import main
from b2bsync.runner import JOB_CHOICES

UNITS = Path(__file__).parents[2] / "deploy" / "systemd"


def parse(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_daemon_unit_runs_b2bsync_run():
    unit = parse(UNITS / "b2bsync.service")
    command = shlex.split(unit["Service"]["ExecStart"])
    assert command[0].endswith("/b2bsync")
    assert command[1:] == ["run"]
    assert unit["Service"]["KillSignal"] == "SIGTERM"
    assert unit["Service"]["WorkingDirectory"] == "/var/lib/b2bsync"


@pytest.mark.parametrize("timer", sorted(UNITS.glob("*.timer")), ids=lambda p: p.name)
def test_timers_start_the_one_shot_template(timer: Path):
    unit = parse(timer)
    target = unit["Timer"]["Unit"]
    template, instance = target.removesuffix(".service").split("@")
    assert (UNITS / f"{template}@.service").exists()
    assert instance in JOB_CHOICES
    assert unit["Install"]["WantedBy"] == "timers.target"


def test_one_shot_template_runs_sync():
    unit = parse(UNITS / "b2bsync-sync@.service")
    assert unit["Service"]["Type"] == "oneshot"
    assert shlex.split(unit["Service"]["ExecStart"])[1:] == ["sync", "%i"]


@pytest.mark.parametrize("command", [["run", "--help"], ["sync", "--help"]])
def test_the_commands_exist(command, capsys):
    assert main(command) == 0
    assert "Usage:" in capsys.readouterr().out


def test_example_config_loads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    from b2bsync.settings import load_settings

    monkeypatch.chdir(tmp_path)
    settings = load_settings(UNITS / "b2bsync.toml.example")
    assert settings.onec.kind == "http"
    assert settings.schedule.orders == 5


@pytest.mark.parametrize("name", ["b2bsync.service", "b2bsync-sync@.service"])
def test_services_create_nothing_others_can_read(name: str):
    """The state store, the token file and logs written by the service are the owner's only."""
    service = parse(UNITS / name)["Service"]
    assert service["UMask"] == "0077"
    assert service["StateDirectory"] == "b2bsync"
    assert service["StateDirectoryMode"] == "0700"
    assert service["User"] == "b2bsync"
