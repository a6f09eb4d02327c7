"""Sync jobs: 1C → Bitrix feeds and the Bitrix order index."""

__all__: list[str] = []
