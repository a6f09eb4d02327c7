"""Declarative HL-block, status, property and mail schemas, with the plan/apply migrator."""

__all__: list[str] = []
