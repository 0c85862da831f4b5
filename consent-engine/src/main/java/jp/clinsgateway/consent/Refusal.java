package jp.clinsgateway.consent;

/** How a refusal is answered; the server maps each to its HTTP status. */
public enum Refusal {
    /** 401: the caller did not say who they are. */
    UNAUTHENTICATED,
    /** 403: the caller is known and may not do this. */
    FORBIDDEN,
    /** 404: answered exactly as for a record that does not exist, so the refused learn nothing. */
    ABSENT,
    /** 405: the gateway does not offer this interaction or operation. */
    NOT_OFFERED,
    /** 400: a request the gateway cannot enforce or does not understand (e.g. a search naming no patient). */
    BAD_REQUEST,
    /** 422: the content breaks a rule (e.g. an update of a Consent that is not a revocation). */
    UNPROCESSABLE
}
