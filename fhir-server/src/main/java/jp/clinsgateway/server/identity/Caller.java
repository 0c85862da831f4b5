package jp.clinsgateway.server.identity;

import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.SmartScopes;

import java.util.Optional;
import java.util.Set;

/**
 * Who is calling and why, as far as the gateway has verified it.
 *
 * @param requester the institution, patient, insurer or operator; empty for an anonymous caller
 * @param purpose   the purpose of use the caller declared (by default, the one of their kind)
 * @param scopes    the SMART scopes the caller's token was granted
 * @param name      the institution's or insurer's registered name, as the authorization server vouches
 *                  for it (shown to patients in their access log); empty when not known
 * @param roles     the gateway roles the institution's administrator granted the user ({@value #EMERGENCY_ACCESS},
 *                  {@value #PRIVACY_OFFICER}), from the token's {@code realm_access.roles}
 */
public record Caller(Optional<Requester> requester, Purpose purpose, SmartScopes scopes, Optional<String> name, Set<String> roles) {

    /** May open emergency windows and read in them (break-glass). */
    public static final String EMERGENCY_ACCESS = "emergency-access";
    /** Reviews the institution's emergency reads. */
    public static final String PRIVACY_OFFICER = "privacy-officer";

    public static final Caller ANONYMOUS = new Caller(Optional.empty(), Purpose.TREATMENT, SmartScopes.parse(""), Optional.empty());

    public Caller {
        roles = Set.copyOf(roles);
    }

    public Caller(Optional<Requester> requester, Purpose purpose, SmartScopes scopes, Optional<String> name) {
        this(requester, purpose, scopes, name, Set.of());
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public Caller(Optional<Requester> requester, Purpose purpose) {
        this(requester, purpose, SmartScopes.ALL, Optional.empty());
    }

    public static Caller institution(String code) {
        return new Caller(Optional.of(new Requester.Institution(code)), Purpose.TREATMENT);
    }

    /** The calling institution's 10-digit code, if the caller is an institution. */
    public Optional<String> institutionCode() {
        return requester.filter(r -> r.kind() == Requester.Kind.INSTITUTION).map(Requester::id);
    }
}
