package jp.clinsgateway.server.consent;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.consent.Decision;
import jp.clinsgateway.consent.Purpose;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.consent.VisibleSet;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET [base]/$consent-check?patient=Patient/[id]&viewer=[institution code]&purpose=[code]}:
 * for one viewer, purpose and patient, which categories are visible now and which consent or rule
 * decided each. Asked by the patient (about any viewer), by an institution (about itself) and by
 * the operator. Defined in the implementation guide as OperationDefinition {@code consent-check}.
 */
@Component
public class ConsentCheckOperation {

    private static final Pattern PATIENT = Pattern.compile("(?:Patient/)?([A-Za-z0-9\\-.]{1,64})");

    private final CallerResolver callers;
    private final OperationAccess access;

    public ConsentCheckOperation(CallerResolver callers, OperationAccess access) {
        this.callers = callers;
        this.access = access;
    }

    @Operation(name = "$consent-check", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/consent-check")
    public Parameters check(@OperationParam(name = "patient", min = 1) StringType patientParam,
                            @OperationParam(name = "viewer") StringType viewerParam,
                            @OperationParam(name = "purpose") CodeType purposeParam,
                            RequestDetails request) {
        String named = patientParam == null ? null : patientParam.getValue();
        java.util.regex.Matcher id = PATIENT.matcher(named == null ? "" : named.strip());
        if (!id.matches() || id.group(1).equalsIgnoreCase("null")) {
            throw Rejection.badRequest("patient", "Name the patient: patient=Patient/[id]");
        }
        String patient = "Patient/" + id.group(1);
        String viewer = viewerParam != null && viewerParam.hasValue() ? viewerParam.getValue()
                : callers.resolve(request).institutionCode().orElse(null);
        if (viewer == null || !JpIdentifiers.isInstitutionCode(viewer)) {
            throw Rejection.badRequest("viewer", "Name the viewing institution by its 10-digit code");
        }
        Purpose purpose = purposeParam == null || !purposeParam.hasValue() ? Purpose.TREATMENT
                : Purpose.fromCode(purposeParam.getValue()).orElseThrow(() -> Rejection.badRequest("purpose",
                "Unknown purpose '" + purposeParam.getValue() + "' (v3-ActReason: TREAT, ETREAT)"));
        Instant now = Instant.now();
        VisibleSet visible = access.consentCheck(request, patient, viewer, purpose);
        return answer(patient, viewer, purpose, now, visible.decisions());
    }

    private static Parameters answer(String patient, String viewer, Purpose purpose, Instant now,
                                     Map<ShareCategory, Decision> decisions) {
        Parameters answer = new Parameters();
        answer.addParameter().setName("patient").setValue(new Reference(patient));
        answer.addParameter().setName("viewer").setValue(new StringType(viewer));
        answer.addParameter().setName("purpose").setValue(new Coding(Purpose.SYSTEM, purpose.code(), null));
        answer.addParameter().setName("evaluated").setValue(new InstantType(Date.from(now)));
        for (ShareCategory category : ShareCategory.values()) {
            Decision decision = decisions.get(category);
            Parameters.ParametersParameterComponent part = answer.addParameter().setName("category");
            part.addPart().setName("code").setValue(new Coding(GatewayCanonical.SHARE_CATEGORY, category.code(), null));
            part.addPart().setName("decision").setValue(new CodeType(decision.permits() ? "permit" : "deny"));
            part.addPart().setName("reason").setValue(new CodeType(decision.reason().name().toLowerCase(Locale.ROOT).replace('_', '-')));
            part.addPart().setName("explanation").setValue(new StringType(decision.explanation()));
            decision.consentId().ifPresent(consent -> part.addPart().setName("consent").setValue(new Reference("Consent/" + consent)));
        }
        return answer;
    }
}
