package jp.clinsgateway.server.storage;

import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;

/**
 * HAPI carries a resource's {@code meta.tag} forward into its next version unless the update asks
 * for meta snapshot mode; the gateway's labels are re-derived on every write and must replace the
 * old ones (a re-sent item flagged UNDELIVERED would otherwise keep its visible labels). Every write
 * therefore runs in snapshot mode: the gateway's own through {@link #request()}, clients' through
 * {@link jp.clinsgateway.server.web.MetaSnapshotMode}.
 */
public final class SnapshotWrites {

    /** Tags, profiles and security labels in an update replace the stored ones. */
    public static final String MODE = "TAG,PROFILE,SECURITY_LABEL";

    private SnapshotWrites() {
    }

    public static String header() {
        return JpaConstants.HEADER_META_SNAPSHOT_MODE;
    }

    /** A request for the gateway's own writes, in snapshot mode. */
    public static SystemRequestDetails request() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.addHeader(header(), MODE);
        return request;
    }
}
