package jp.clinsgateway.consent;

/** What a caller asks the gateway to do, in FHIR REST terms. */
public enum Interaction {
    /** The server's CapabilityStatement ({@code GET [base]/metadata}). */
    CAPABILITIES,
    READ,
    /** A read of one version ({@code /_history/[vid]}). */
    VREAD,
    SEARCH,
    /** The next page of a search made before ({@code _getpages}). */
    PAGE,
    HISTORY,
    CREATE,
    UPDATE,
    PATCH,
    DELETE,
    /** A transaction or batch posted to the base. */
    BATCH,
    /** One of the gateway's operations ({@link GatewayOperation}); any other operation is not offered. */
    OPERATION
}
