package jp.clinsgateway.server.consent;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.consent.AccessRequest;
import jp.clinsgateway.consent.ConsentDecision;
import jp.clinsgateway.consent.ConsentEngine;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.Requester;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.submission.Rejection;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET [base]/$consent-check?patient=Patient/[id]&viewer=[institution code]&purpose=[code]}:
 * for one viewer, purpose and patient, which categories are visible now and which consent or rule
 * decided each. Asked by the patient (about any viewer), by an institution (about itself) and by
 * the operator. Defined in the implementation guide as OperationDefinition {@code consent-check}.
 */
@Component
public class ConsentCheckOperation {

    private final CallerResolver callers;
    private final ConsentEngine engine;
    private final PatientConsents consents;

    public ConsentCheckOperation(CallerResolver callers, ConsentEngine engine, PatientConsents consents) {
        this.callers = callers;
        this.engine = engine;
        this.consents = consents;
    }

    @Operation(name = "$consent-check", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/consent-check")
    public Parameters check(@OperationParam(name = "patient", min = 1) StringType patientParam,
                            @OperationParam(name = "viewer") StringType viewerParam,
                            @OperationParam(name = "purpose") CodeType purposeParam,
                            RequestDetails request) {
        Caller caller = callers.resolve(request);
        Requester requester = caller.requester()
                .orElseThrow(() -> Rejection.unauthenticated("$consent-check needs the caller's identity"));
        String patient = "Patient/" + new IdType(patientParam.getValue()).getIdPart();
        String viewer = viewerParam != null && viewerParam.hasValue() ? viewerParam.getValue() : caller.institutionCode().orElse(null);
        if (viewer == null || !JpIdentifiers.isInstitutionCode(viewer)) {
            throw Rejection.badRequest("viewer", "Name the viewing institution by its 10-digit code");
        }
        Purpose purpose = purposeParam == null || !purposeParam.hasValue() ? Purpose.TREATMENT
                : Purpose.fromCode(purposeParam.getValue()).orElseThrow(() -> Rejection.badRequest("purpose",
                "Unknown purpose '" + purposeParam.getValue() + "' (v3-ActReason: TREAT, ETREAT)"));
        boolean allowed = requester instanceof Requester.Operator
                || requester instanceof Requester.PatientSelf self && self.patientId().equals(patient)
                || requester instanceof Requester.Institution institution && institution.code().equals(viewer);
        if (!allowed) {
            throw Rejection.forbidden("viewer", "The patient asks about any viewer, an institution about itself, the operator about anyone");
        }
        Instant now = Instant.now();
        VisibleSet visible = engine.visibleSet(AccessRequest.byInstitution(viewer, purpose, patient), consents.of(patient), now);
        return answer(patient, viewer, purpose, now, visible.decisions());
    }

    private static Parameters answer(String patient, String viewer, Purpose purpose, Instant now,
                                     Map<ShareCategory, ConsentDecision> decisions) {
        Parameters answer = new Parameters();
        answer.addParameter().setName("patient").setValue(new Reference(patient));
        answer.addParameter().setName("viewer").setValue(new StringType(viewer));
        answer.addParameter().setName("purpose").setValue(new Coding(Purpose.SYSTEM, purpose.code(), null));
        answer.addParameter().setName("evaluated").setValue(new InstantType(Date.from(now)));
        for (ShareCategory category : ShareCategory.values()) {
            ConsentDecision decision = decisions.get(category);
            Parameters.ParametersParameterComponent part = answer.addParameter().setName("category");
            part.addPart().setName("code").setValue(new Coding(GatewayCanonical.SHARE_CATEGORY, category.code(), null));
            part.addPart().setName("decision").setValue(new CodeType(decision.permits() ? "permit" : "deny"));
            part.addPart().setName("reason").setValue(new CodeType(decision.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')));
            part.addPart().setName("explanation").setValue(new StringType(decision.explanation()));
            decision.consentId().ifPresent(id -> part.addPart().setName("consent").setValue(new Reference("Consent/" + id)));
        }
        return answer;
    }
}
