"""The ``b2bsync`` command line. Exit codes: 0 ok, 1 failure, 2 usage or configuration error."""

from ._app import app
from ._main import main

__all__ = ["app", "main"]
