package jp.clinsgateway.consent;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One current consent decision of the patient, as the engine sees it (a FHIR Consent resource,
 * reduced to its facts; revoked consents are simply {@code active == false}).
 *
 * @param id         the Consent resource's id, so a decision can name the consent that made it
 * @param effect     permit, or deny (a refusal)
 * @param viewer     the institution it is about; empty: every institution
 * @param categories the categories it covers; empty: all nine (a comprehensive consent or refusal)
 * @param purposes   the purposes it covers; empty: every purpose (a refusal for emergency access
 *                   alone names {@link Purpose#EMERGENCY})
 * @param start      from when it holds (inclusive)
 * @param end        until when it holds (exclusive); empty: until revoked
 * @param active     false once the patient revoked it
 */
public record PatientConsent(String id, Effect effect, Optional<String> viewer, Set<ShareCategory> categories,
                             Set<Purpose> purposes, Instant start, Optional<Instant> end, boolean active) {

    public PatientConsent {
        categories = Set.copyOf(categories);
        purposes = Set.copyOf(purposes);
    }

    /** Whether the two say the same thing (effect, viewer, categories, purposes, period), whatever their status. */
    public boolean sameTermsAs(PatientConsent other) {
        return effect == other.effect && viewer.equals(other.viewer) && categories.equals(other.categories)
                && purposes.equals(other.purposes) && start.equals(other.start) && end.equals(other.end);
    }

    /** Whether this consent speaks to this viewer, category and purpose at this moment. */
    public boolean covers(String institution, ShareCategory category, Purpose purpose, Instant now) {
        return active
                && !now.isBefore(start) && end.map(now::isBefore).orElse(true)
                && viewer.map(institution::equals).orElse(true)
                && (categories.isEmpty() || categories.contains(category))
                && (purposes.isEmpty() || purposes.contains(purpose));
    }
}
