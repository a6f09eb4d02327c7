"""b2bsync: the B2B cabinet companion service for 1C-Bitrix stores."""

from ._errors import B2BSyncError, ConfigError, UsageError

__version__ = "0.1.0"

__all__ = ["B2BSyncError", "ConfigError", "UsageError", "__version__"]
