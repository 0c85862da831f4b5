package jp.clinsgateway.server.support;

/** The institutions of the test and demo world (10-digit medical institution codes). */
public final class Institutions {
    public static final String TOKYO_CENTRAL = "1311234567";
    public static final String OSAKA_CLINIC = "2711234568";
    public static final String YOKOHAMA = "1412345670";

    private Institutions() {
    }
}
