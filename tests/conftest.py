"""Suite-wide fixtures."""

from collections.abc import Iterator

import pytest
import structlog


@pytest.fixture(autouse=True)
def _fresh_structlog() -> Iterator[None]:
    """A test that runs the CLI configures structlog; the next test starts from defaults."""
    yield
    structlog.reset_defaults()
