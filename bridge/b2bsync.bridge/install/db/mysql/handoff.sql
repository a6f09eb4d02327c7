CREATE TABLE IF NOT EXISTS b2bsync_bridge_handoff_nonce (
    NONCE VARCHAR(64) NOT NULL,
    EXPIRES_AT INT(11) NOT NULL,
    PRIMARY KEY (NONCE),
    KEY ix_b2bsync_bridge_handoff_nonce_expires (EXPIRES_AT)
);
