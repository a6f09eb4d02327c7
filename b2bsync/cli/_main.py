"""Entry point: runs the typer app and turns every error into an exit code and one line."""

from __future__ import annotations

import os
import sys

from .._errors import B2BSyncError, ConfigError, UsageError
from ._app import app
from ._commands import register_commands

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; typer reports its own usage errors (exit 2), ours are mapped here."""
    register_commands()
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="b2bsync", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_OK if code is None else EXIT_FAILURE)
    except (ConfigError, UsageError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_USAGE
    except B2BSyncError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_FAILURE
    except Exception as exc:
        if os.environ.get("B2BSYNC_DEBUG") == "1":
            raise
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {exc}\n")
        return EXIT_FAILURE
    return EXIT_OK


def run() -> None:
    raise SystemExit(main())


if __name__ == "__main__":
    run()
