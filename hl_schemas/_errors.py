"""Errors of :mod:`hl_schemas`, split by what the caller does next.

- :class:`SchemaConfigError`: the configuration asks for something Bitrix cannot hold (a 3-letter
  status code, two statuses with one code); fix the configuration, nothing was sent.
- :class:`LiveStateError`: the site answered, but not in a shape the planner can read (a bridge
  of another API version, a malformed list); nothing was written.
"""

from __future__ import annotations


class SchemaError(Exception):
    """Root of every error raised by :mod:`hl_schemas`."""


class SchemaConfigError(SchemaError):
    """The schema configuration is invalid; the message says which value and why."""


class LiveStateError(SchemaError):
    """The site's current state could not be read into the planner's model."""
