"""`b2bsync sandbox` prints the webhook and the settings lines; the doctor follows them."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from b2bsync.cli._main import main

ROOT = Path(__file__).parents[2]


def test_sandbox_prints_env_lines_and_serves_until_stopped(tmp_path):
    env_file = tmp_path / "sandbox.env"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "b2bsync",
            "sandbox",
            "--port",
            "0",
            "--orders",
            "20",
            "--secret",
            "s4ndb0xs3cr3t",
            "--env-file",
            str(env_file),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        # into a pipe: one JSON object; the env file has the B2BSYNC_… lines to source
        ready = json.loads(proc.stdout.readline())
        assert ready["event"] == "sandbox.ready"
        url = ready["bitrix_url"]
        lines = env_file.read_text().splitlines()
        assert len(lines) == 10
        assert dict(line.split("=", 1) for line in lines) == ready["env"]
        assert url.startswith("http://127.0.0.1:")
        # b2bsync's webhook is the module's service user's (order.status.set refuses admins)
        service = ready["service_user"]
        assert service > 1
        assert url.endswith(f"/rest/{service}/s4ndb0xs3cr3t/")
        admin = ready["admin_url"]
        assert admin.startswith(url.split("/rest/")[0] + "/rest/1/")
        assert admin != url.replace(f"/rest/{service}/", "/rest/1/")  # its own secret
        assert lines[0] == f"B2BSYNC_BITRIX__WEBHOOK_URL={url}"
        assert lines[1] == "B2BSYNC_BITRIX__RATE_LIMIT=standard"
        assert lines[2] == "B2BSYNC_ONEC__KIND=http"
        assert lines[3].startswith("B2BSYNC_ONEC__URL=http://127.0.0.1:")
        assert {line.split("=")[0] for line in lines[4:7]} == {
            "B2BSYNC_ONEC__USERNAME",
            "B2BSYNC_ONEC__PASSWORD",
            "B2BSYNC_ONEC__TIMEZONE",
        }
        assert lines[7].startswith("B2BSYNC_WEB__SECRET=")
        assert len(lines[7]) >= len("B2BSYNC_WEB__SECRET=") + 32
        assert lines[8:] == [
            "B2BSYNC_WEB__PUBLIC_URL=http://127.0.0.1:8480",
            "B2BSYNC_SYNC__DOWNLOAD_BASE_URL=http://127.0.0.1:8480",
        ]
        env = dict(os.environ)
        env.update(line.split("=", 1) for line in lines)
        doctor = subprocess.run(
            [sys.executable, "-m", "b2bsync", "doctor"],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        checks = {c["check"]: c for c in map(json.loads, doctor.stdout.splitlines())}
        assert checks["site reachable, webhook accepted"]["ok"] is True
        assert next(c for name, c in checks.items() if name.startswith("bridge module"))["ok"]
        assert checks["shared secret"]["ok"] is True
        assert checks["module addresses"]["detail"] == (
            "links and pings go to http://127.0.0.1:8480"
        )
        assert checks["schema in sync"]["ok"] is False
        assert doctor.returncode == 1
        onec = subprocess.run(
            [sys.executable, "-m", "b2bsync", "onec", "check"],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert onec.returncode == 0, onec.stdout + onec.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err


def test_sandbox_bad_options_exit_2(capsys):
    assert main(["sandbox", "--rate-limit", "turbo"]) == 2
    assert "unknown rate-limit profile" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["sandbox", "--fault-rate", "2"], ["sandbox", "--orders", "-1"]])
def test_sandbox_rejects_out_of_range_values(args, capsys):
    assert main(args) == 2
