package jp.clinsgateway.server.identity;

import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;

import java.util.Optional;

/**
 * Who is calling and why, as far as the gateway has verified it.
 *
 * @param requester the institution, patient, insurer or operator; empty for an anonymous caller
 * @param purpose   the purpose of use the caller declared (treatment unless said otherwise)
 */
public record Caller(Optional<Requester> requester, Purpose purpose) {

    public static final Caller ANONYMOUS = new Caller(Optional.empty(), Purpose.TREATMENT);

    public static Caller institution(String code) {
        return new Caller(Optional.of(new Requester.Institution(code)), Purpose.TREATMENT);
    }

    /** The calling institution's 10-digit code, if the caller is an institution. */
    public Optional<String> institutionCode() {
        return requester.filter(Requester.Institution.class::isInstance)
                .map(r -> ((Requester.Institution) r).code());
    }
}
