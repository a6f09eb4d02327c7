"""State behind the b2bsync.* bridge scope (placeholder shape; the bridge family owns this)."""


class BridgeState:
    """HL-blocks, their fields, indexes and rows; mail event types, templates and sent mails."""
