"""State of the sale module (placeholder shape; the sale family owns and fills this module)."""


class SaleState:
    """Statuses, languages of statuses, payer types, properties, orders, basket items."""
