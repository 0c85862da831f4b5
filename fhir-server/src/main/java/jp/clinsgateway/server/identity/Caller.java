package jp.clinsgateway.server.identity;

import java.util.Optional;

/**
 * Who is calling, as far as the gateway has verified it.
 *
 * @param institutionCode the calling institution's 10-digit medical institution code, if the
 *                        caller is an institution
 */
public record Caller(Optional<String> institutionCode) {

    public static final Caller ANONYMOUS = new Caller(Optional.empty());

    public static Caller institution(String code) {
        return new Caller(Optional.of(code));
    }
}
