package jp.clinsgateway.server.labels;

import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.ConsentRecorder;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who recorded a Consent and how, written by the gateway into the stored Consent (never taken from
 * the client): {@code meta.tag} {@code consent-recorder|patient} or {@code consent-recorder|<institution code>}
 * (searchable, so an institution finds the consents it recorded) and {@code consent-basis|portal},
 * {@code |reception} or {@code |letter-destination}; {@code Consent.performer} is the patient, who
 * agreed; {@code Consent.organization} the recording institution.
 */
public final class ConsentProvenance {

    private static final String PATIENT = "patient";

    private ConsentProvenance() {
    }

    /** Replaces whatever provenance the client wrote with the gateway's. */
    public static void apply(Consent consent, ConsentRecorder recorder, Optional<String> institutionName) {
        consent.getMeta().getTag().removeIf(t -> GatewayCanonical.CONSENT_RECORDER.equals(t.getSystem())
                || GatewayCanonical.CONSENT_BASIS.equals(t.getSystem()));
        consent.getMeta().addTag(GatewayCanonical.CONSENT_RECORDER, recorder.institution().orElse(PATIENT), null);
        consent.getMeta().addTag(GatewayCanonical.CONSENT_BASIS, basisCode(recorder.basis()), null);
        consent.getPerformer().clear();
        consent.addPerformer(new Reference(consent.getPatient().getReference()));
        consent.getOrganization().clear();
        recorder.institution().ifPresent(code -> consent.addOrganization(new Reference()
                .setIdentifier(new Identifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(code))
                .setDisplay(institutionName.orElse(null))));
        consent.getVerification().clear();
        if (recorder.basis() == ConsentRecorder.Basis.RECEPTION) {
            consent.addVerification().setVerified(true).setVerifiedWith(new Reference(consent.getPatient().getReference()))
                    .setVerificationDateElement(new org.hl7.fhir.r4.model.DateTimeType(new java.util.Date()));
        }
    }

    /** Who recorded a stored Consent; {@link ConsentRecorder#UNKNOWN} for one stored before provenance was kept. */
    public static ConsentRecorder of(Consent consent) {
        Optional<String> recorder = tag(consent, GatewayCanonical.CONSENT_RECORDER);
        Optional<ConsentRecorder.Basis> basis = tag(consent, GatewayCanonical.CONSENT_BASIS).flatMap(ConsentProvenance::basisOf);
        if (recorder.isEmpty() || basis.isEmpty()) {
            return ConsentRecorder.UNKNOWN;
        }
        return recorder.get().equals(PATIENT) ? ConsentRecorder.PATIENT : ConsentRecorder.institution(basis.get(), recorder.get());
    }

    /** The {@code _tag} token of the consents an institution recorded. */
    public static TokenParam recordedBy(String institutionCode) {
        return new TokenParam(GatewayCanonical.CONSENT_RECORDER, institutionCode);
    }

    /** Carries the stored consent's provenance over to its revised version. */
    public static void keep(Consent stored, Consent revised) {
        revised.getMeta().getTag().removeIf(t -> GatewayCanonical.CONSENT_RECORDER.equals(t.getSystem())
                || GatewayCanonical.CONSENT_BASIS.equals(t.getSystem()));
        stored.getMeta().getTag().stream()
                .filter(t -> GatewayCanonical.CONSENT_RECORDER.equals(t.getSystem()) || GatewayCanonical.CONSENT_BASIS.equals(t.getSystem()))
                .forEach(t -> revised.getMeta().addTag(t.copy()));
        revised.setPerformer(stored.getPerformer());
        revised.setOrganization(stored.getOrganization());
        revised.setVerification(stored.getVerification());
    }

    private static String basisCode(ConsentRecorder.Basis basis) {
        return switch (basis) {
            case PATIENT -> "portal";
            case RECEPTION -> "reception";
            case LETTER_DESTINATION -> "letter-destination";
            case UNKNOWN -> "unknown";
        };
    }

    private static Optional<ConsentRecorder.Basis> basisOf(String code) {
        return Arrays.stream(ConsentRecorder.Basis.values()).filter(b -> basisCode(b).equals(code)).findFirst();
    }

    private static Optional<String> tag(Consent consent, String system) {
        return consent.getMeta().getTag().stream().filter(t -> system.equals(t.getSystem()) && t.hasCode())
                .map(org.hl7.fhir.r4.model.Coding::getCode).findFirst();
    }
}
