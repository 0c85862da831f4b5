package jp.clinsgateway.consent;

import java.util.Arrays;
import java.util.Optional;

/** Why a reader asks, in HL7 v3 PurposeOfUse codes (the codes consents and audit records carry). */
public enum Purpose {
    /** Care of the patient at the reading institution: the ordinary case. */
    TREATMENT("TREAT"),
    /** Emergency care of a patient who cannot consent; recorded and shown to the patient. */
    EMERGENCY("ETREAT"),
    /** The patient reading their own records. */
    PATIENT_REQUEST("PATRQT"),
    /** An insurer receiving its members' checkup reports for health guidance. */
    HEALTH_PROMOTION("HPRGRP"),
    /** Running the service: consent and audit metadata only. */
    OPERATIONS("HOPERAT");

    public static final String SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

    private final String code;

    Purpose(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Purpose> fromCode(String code) {
        return Arrays.stream(values()).filter(p -> p.code.equals(code)).findFirst();
    }

    /** Treatment for institutions, the patient's own request, health promotion for insurers, operations for the operator. */
    public static Purpose defaultFor(Requester.Kind kind) {
        return switch (kind) {
            case INSTITUTION -> TREATMENT;
            case PATIENT -> PATIENT_REQUEST;
            case INSURER -> HEALTH_PROMOTION;
            case OPERATOR -> OPERATIONS;
        };
    }

    /** The purposes a kind of caller may declare: institutions treat (or treat in an emergency); the others have one each. */
    public boolean mayBeDeclaredBy(Requester.Kind kind) {
        return kind == Requester.Kind.INSTITUTION ? this == TREATMENT || this == EMERGENCY : this == defaultFor(kind);
    }
}
