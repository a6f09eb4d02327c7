"""Errors of the application layer."""


class B2BSyncError(Exception):
    """Root of every error b2bsync itself raises."""


class ConfigError(B2BSyncError):
    """The configuration is missing or invalid; the CLI exits 2 with this message."""


class UsageError(B2BSyncError):
    """The operator asked for something that cannot be done as asked; exit 2."""
