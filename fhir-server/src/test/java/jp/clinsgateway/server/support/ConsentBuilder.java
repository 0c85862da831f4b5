package jp.clinsgateway.server.support;

import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Builds a patient's Consent (profile patient-consent) for a test:
 * {@code ConsentBuilder.permit().forPatient(id).to(OSAKA_CLINIC).only("lab-result").build()}.
 */
public final class ConsentBuilder {

    private final Consent.ConsentProvisionType type;
    private String patient;
    private String viewer;
    private final java.util.List<String> categories = new java.util.ArrayList<>();
    private String purpose;
    private Instant start = Instant.now().minus(Duration.ofHours(1));
    private Instant end;
    private String code;

    private ConsentBuilder(Consent.ConsentProvisionType type) {
        this.type = type;
    }

    public static ConsentBuilder permit() {
        return new ConsentBuilder(Consent.ConsentProvisionType.PERMIT);
    }

    public static ConsentBuilder refusal() {
        return new ConsentBuilder(Consent.ConsentProvisionType.DENY);
    }

    public ConsentBuilder forPatient(String patientReference) {
        this.patient = patientReference;
        return this;
    }

    /** The institution it is about; without one, every institution. */
    public ConsentBuilder to(String institutionCode) {
        this.viewer = institutionCode;
        return this;
    }

    /** Only these share categories; without any, all of them. */
    public ConsentBuilder only(String... categoryCodes) {
        this.categories.addAll(java.util.List.of(categoryCodes));
        return this;
    }

    public ConsentBuilder forPurpose(String v3ActReason) {
        this.purpose = v3ActReason;
        return this;
    }

    /** Holds for the day of the visit, as the card reader's comprehensive consent does. */
    public ConsentBuilder forOneDay() {
        this.end = start.plus(Duration.ofDays(1));
        return this;
    }

    /** Recorded by an institution with the one-time code the patient showed at its reception. */
    public ConsentBuilder withCode(String oneTimeCode) {
        this.code = oneTimeCode;
        return this;
    }

    public Consent build() {
        Consent consent = new Consent();
        consent.getMeta().addProfile(GatewayCanonical.PATIENT_CONSENT);
        consent.setStatus(Consent.ConsentState.ACTIVE);
        consent.setScope(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        consent.addCategory(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "INFA", null)));
        consent.setPatient(new Reference(patient));
        consent.setDateTimeElement(new DateTimeType(new Date()));
        consent.addPolicy().setUri(GatewayCanonical.IMPLEMENTATION_GUIDE);
        Consent.ProvisionComponent provision = consent.getProvision();
        provision.setType(type);
        provision.getPeriod().setStart(Date.from(start));
        if (end != null) {
            provision.getPeriod().setEnd(Date.from(end));
        }
        if (viewer != null) {
            provision.addActor()
                    .setRole(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP", null)))
                    .setReference(new Reference().setIdentifier(new Identifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(viewer)));
        }
        categories.forEach(c -> provision.addCode(new CodeableConcept(new Coding(GatewayCanonical.SHARE_CATEGORY, c, null))));
        if (purpose != null) {
            provision.addPurpose(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActReason", purpose, null));
        }
        if (code != null) {
            consent.addExtension(GatewayCanonical.ONE_TIME_CONSENT_CODE, new org.hl7.fhir.r4.model.StringType(code));
        }
        return consent;
    }
}
