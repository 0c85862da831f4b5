package jp.clinsgateway.consent;

/** Permit or deny: of a consent, and of a decision. */
public enum Effect {
    PERMIT, DENY
}
