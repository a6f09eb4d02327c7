"""Async client for the 1C-Bitrix REST API, and its wire-faithful fake (``bitrix_client.fake``)."""

__all__: list[str] = []
