import os
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    TomlConfigSettingsSource,
)

from .._errors import ConfigError
from ._keys import check_keys
from ._root import Settings


def load_settings(config: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings once; a bad value or a key no setting has becomes a one-line
    :class:`ConfigError`."""
    env_path = os.environ.get("B2BSYNC_CONFIG")
    path = config or (Path(env_path) if env_path else None)
    if path is not None and not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    env_file = Settings.model_config.get("env_file")
    check_keys(
        Settings,
        toml=path,
        environ=os.environ,
        env_file=Path(str(env_file)) if isinstance(env_file, str | Path) else None,
    )

    class _FromToml(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: list[PydanticBaseSettingsSource] = [
                init_settings,
                env_settings,
                dotenv_settings,
            ]
            if path is not None:
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=path))
            return tuple(sources)

    try:
        loaded = _FromToml(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(f"invalid setting {where}: {first['msg']}") from exc
    except ValueError as exc:  # TOML syntax errors surface as ValueError subclasses
        raise ConfigError(f"cannot read config {path}: {exc}") from exc
    return loaded
