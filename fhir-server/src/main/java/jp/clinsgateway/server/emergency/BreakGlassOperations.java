package jp.clinsgateway.server.emergency;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.access.OperationAccess;
import jp.clinsgateway.server.access.OperationAccess.EmergencyWindowView;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.Optional;

/**
 * Break-glass: {@code $break-glass} opens an emergency window for one patient with a stated reason;
 * {@code $emergency-reviews} lists the windows for review and {@code $review-emergency} marks one reviewed
 * with a note. Who may do each, and for how long a window stays open, is the policy's (through
 * {@link OperationAccess}). Defined in the implementation guide as OperationDefinitions of the same names.
 */
@Component
public class BreakGlassOperations {

    private final OperationAccess access;

    public BreakGlassOperations(OperationAccess access) {
        this.access = access;
    }

    @Operation(name = "$break-glass", canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/break-glass")
    public Parameters breakGlass(@OperationParam(name = "patient", min = 1, max = 1) Reference patient,
                                 @OperationParam(name = "reason", min = 1, max = 1) Coding reason,
                                 @OperationParam(name = "text", min = 1, max = 1) StringType text,
                                 RequestDetails request) {
        if (patient == null || !patient.hasReference() || !patient.getReference().matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
            throw Rejection.unprocessable(IssueType.REQUIRED, "Parameters.parameter.where(name='patient')", "Name the patient: Patient/[id]");
        }
        if (reason != null && reason.hasSystem() && !GatewayCanonical.EMERGENCY_REASON.equals(reason.getSystem())) {
            throw Rejection.unprocessable(IssueType.CODEINVALID, "Parameters.parameter.where(name='reason')",
                    "The reason is a code of " + GatewayCanonical.EMERGENCY_REASON);
        }
        EmergencyWindowView opened = access.openEmergencyWindow(request, patient.getReference(),
                reason == null ? null : reason.getCode(), text == null ? null : text.getValue());
        Parameters answer = new Parameters();
        answer.addParameter().setName("window").setValue(new StringType(opened.id()));
        answer.addParameter().setName("until").setValue(new InstantType(Date.from(opened.window().until())));
        return answer;
    }

    @Operation(name = "$emergency-reviews", idempotent = true, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/emergency-reviews")
    public Parameters reviews(@OperationParam(name = "reviewed", max = 1) BooleanType reviewed, RequestDetails request) {
        Parameters answer = new Parameters();
        for (EmergencyWindowView view : access.emergencyReviews(request, Optional.ofNullable(reviewed).map(BooleanType::getValue))) {
            Parameters.ParametersParameterComponent window = answer.addParameter().setName("window");
            part(window, "id", new StringType(view.id()));
            part(window, "institution", new StringType(view.window().institution()));
            part(window, "patient", new Reference(view.window().patient()));
            part(window, "reason", new Coding(GatewayCanonical.EMERGENCY_REASON, view.window().reason().code(), null));
            part(window, "text", new StringType(view.window().text()));
            part(window, "opened", new InstantType(Date.from(view.window().opened())));
            part(window, "until", new InstantType(Date.from(view.window().until())));
            view.reviewed().ifPresent(at -> part(window, "reviewed", new InstantType(Date.from(at))));
            view.reviewer().ifPresent(who -> part(window, "reviewer", new StringType(who)));
            view.note().ifPresent(note -> part(window, "note", new StringType(note)));
        }
        return answer;
    }

    @Operation(name = "$review-emergency", canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/review-emergency")
    public Parameters review(@OperationParam(name = "window", min = 1, max = 1) StringType window,
                             @OperationParam(name = "note", min = 1, max = 1) StringType note, RequestDetails request) {
        long id;
        try {
            id = Long.parseLong(window == null ? "" : window.getValue().strip());
        } catch (NumberFormatException e) {
            throw Rejection.unprocessable(IssueType.VALUE, "Parameters.parameter.where(name='window')", "Name the window by its id");
        }
        if (note == null || note.getValue() == null || note.getValue().isBlank()) {
            throw Rejection.unprocessable(IssueType.REQUIRED, "Parameters.parameter.where(name='note')", "A review needs a note");
        }
        EmergencyWindowView reviewed = access.reviewEmergency(request, id, note.getValue().strip());
        Parameters answer = new Parameters();
        answer.addParameter().setName("window").setValue(new StringType(reviewed.id()));
        reviewed.reviewed().ifPresent(at -> answer.addParameter().setName("reviewed").setValue(new InstantType(Date.from(at))));
        return answer;
    }

    private static void part(Parameters.ParametersParameterComponent parameter, String name, Type value) {
        parameter.addPart().setName(name).setValue(value);
    }
}
