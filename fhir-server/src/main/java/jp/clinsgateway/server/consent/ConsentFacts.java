package jp.clinsgateway.server.consent;

import jp.clinsgateway.consent.Effect;
import jp.clinsgateway.consent.PatientConsent;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.OperationOutcome;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reduces a stored {@code Consent} (profile patient-consent) to the facts the engine reads. */
public final class ConsentFacts {

    private ConsentFacts() {
    }

    /**
     * Every viewer a consent names is an institution by its 10-digit code: anything else (e.g. "abc")
     * could never match a reader, yet would be stored as if it meant something. Throws a {@link Rejection}.
     */
    public static void checkViewers(Consent consent) {
        List<Consent.provisionActorComponent> actors = consent.getProvision().getActor();
        for (int i = 0; i < actors.size(); i++) {
            String value = actors.get(i).getReference().getIdentifier().getValue();
            if (value != null && !JpIdentifiers.isInstitutionCode(value)) {
                throw Rejection.unprocessable(OperationOutcome.IssueType.VALUE, "Consent.provision.actor[" + i + "].reference.identifier.value",
                        "A consent names an institution by its 10-digit medical institution code (" + JpIdentifiers.INSTITUTION_NUMBER
                                + "); '" + value + "' is not one");
            }
        }
    }

    public static PatientConsent of(Consent consent) {
        Consent.ProvisionComponent provision = consent.getProvision();
        Optional<String> viewer = provision.getActor().stream()
                .map(a -> a.getReference().getIdentifier().getValue())
                .filter(v -> v != null && !v.isBlank())
                .findFirst();
        Set<ShareCategory> categories = provision.getCode().stream()
                .flatMap(c -> c.getCoding().stream())
                .filter(c -> GatewayCanonical.SHARE_CATEGORY.equals(c.getSystem()))
                .map(c -> ShareCategory.fromCode(c.getCode()))
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        Set<Purpose> purposes = provision.getPurpose().stream()
                .map(c -> Purpose.fromCode(c.getCode()))
                .flatMap(Optional::stream)
                .collect(Collectors.toSet());
        Instant start = provision.getPeriod().hasStart() ? provision.getPeriod().getStart().toInstant() : Instant.MIN;
        Optional<Instant> end = provision.getPeriod().hasEnd() ? Optional.of(provision.getPeriod().getEnd().toInstant()) : Optional.empty();
        return new PatientConsent(consent.getIdElement().getIdPart(),
                provision.getType() == Consent.ConsentProvisionType.DENY ? Effect.DENY : Effect.PERMIT,
                viewer, categories, purposes, start, end, consent.getStatus() == Consent.ConsentState.ACTIVE);
    }
}
