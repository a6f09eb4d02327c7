"""Adapters that read counterparties, documents and credit from 1C, and a 1C fake."""

__all__: list[str] = []
