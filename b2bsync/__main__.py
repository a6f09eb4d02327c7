"""``python -m b2bsync``: the same as the ``b2bsync`` command."""

from .cli._main import run

run()
