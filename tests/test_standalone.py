"""The repository stands alone: a fresh clone needs nothing beside it, and nothing is skipped
silently for want of something outside it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_OUTSIDE = ("../shared", "/work/", "/home/", "shared/DESIGN.md", "shared/bitrix-recordings")
_TEXT = {".py", ".php", ".md", ".toml", ".json", ".sh", ".txt", ".cfg", ".ini", ".html", ""}


def _tracked_text_files() -> list[Path]:
    """The files a clone has (tracked, or new and not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    out = []
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if path.is_file() and path.suffix in _TEXT and path.stat().st_size < 2_000_000:
            out.append(path)
    return out


def test_no_file_points_outside_the_repository():
    me = Path(__file__).resolve()
    offenders = []
    for path in _tracked_text_files():
        if path == me or "bitrix-recordings" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [
            f"{path.relative_to(ROOT)}: {needle}" for needle in _OUTSIDE if needle in text
        ]
    assert offenders == []


def test_the_recordings_and_the_architecture_document_are_in_the_repository():
    recordings = ROOT / "tests" / "data" / "bitrix-recordings"
    assert (recordings / "README.md").is_file()
    lines = (recordings / "real-25.550.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 170
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    for heading in ("Layers", "The bridge module", "Sync semantics", "Workflows"):
        assert heading in architecture
    assert "docs/ARCHITECTURE.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_bridge_check_fails_without_php_under_ci(tmp_path):
    """`bridge/check.sh` may skip on a laptop without PHP, never in CI."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "dirname", "find", "sort", "env"):
        found = shutil.which(tool)
        assert found is not None
        (bin_dir / tool).symlink_to(found)
    env = {"PATH": str(bin_dir), "CI": "true"}
    script = ROOT / "bridge" / "check.sh"
    done = subprocess.run(
        [str(bin_dir / "bash"), str(script)], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "php is not installed" in done.stderr
    local = subprocess.run(
        [str(bin_dir / "bash"), str(script)],
        env={"PATH": str(bin_dir)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert local.returncode == 0
    assert "SKIPPED" in local.stdout
