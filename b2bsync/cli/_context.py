"""What every command gets from the top-level callback: the settings, loaded once, lazily."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import typer

from .._errors import ConfigError
from .._logging import configure_logging
from ..settings import Settings, load_settings


@dataclass
class AppContext:
    config_path: Path | None = None
    #: auto (text on a terminal, JSON lines otherwise), text or json: see :mod:`._output`
    output: str = "auto"  # a _output.Format
    _settings: Settings | None = field(default=None, repr=False)

    @property
    def config_file(self) -> Path | None:
        """The TOML file in use: ``--config``, else ``B2BSYNC_CONFIG``."""
        named = os.environ.get("B2BSYNC_CONFIG")
        return self.config_path or (Path(named) if named else None)

    @property
    def env_file(self) -> Path | None:
        name = Settings.model_config.get("env_file")
        return Path(str(name)) if isinstance(name, str | Path) else None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_path)
            configure_logging(self._settings.log.level, self._settings.log.format)
        return self._settings


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    if not isinstance(obj, AppContext):
        raise ConfigError("internal: the CLI context was not initialised")
    return obj
