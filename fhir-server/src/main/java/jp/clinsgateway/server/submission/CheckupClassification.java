package jp.clinsgateway.server.submission;

import jp.clinsgateway.consent.CheckupDelivery;
import jp.clinsgateway.consent.CheckupKind;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.patient.PatientRegistry;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Extension;

import java.util.Map;
import java.util.Optional;

/**
 * Classifies a checkup report for its delivery to the insurer, from what the eCheckup guide already
 * carries: who ran the checkup is {@code Composition.event.code} (健診プログラムサービスコード,
 * {@code urn:oid:1.2.392.200119.6.1002}, required 1..1 by JP_Composition_eCheckupGeneral); the
 * insurer is the one in the subject's insurance member ID. Only the patient's questionnaire answer
 * whether the result may go to the insurer has no element in the guide: the gateway's extension
 * {@code insurer-provision-agreement} (valueBoolean) on the Composition. A programme code the gateway
 * does not know, or none, classifies the report as unclassified, which reaches no insurer.
 */
final class CheckupClassification {

    static final String PROGRAMME_SYSTEM = "urn:oid:1.2.392.200119.6.1002";

    private static final Map<String, CheckupKind> PROGRAMMES = Map.of(
            "010", CheckupKind.INSURER_RUN,     // 特定健診
            "020", CheckupKind.INSURER_RUN,     // 広域連合の保健事業
            "030", CheckupKind.EMPLOYER_RUN,    // 事業者健診
            "040", CheckupKind.COMPREHENSIVE,   // 学校健診
            "060", CheckupKind.COMPREHENSIVE,   // がん検診
            "090", CheckupKind.COMPREHENSIVE,   // 肝炎検診
            "990", CheckupKind.COMPREHENSIVE);  // その他の健診（検診）: 人間ドック

    private CheckupClassification() {
    }

    /** How a stored document reaches the insurer; empty unless it is a checkup report. */
    static Optional<CheckupDelivery> of(Bundle bundle) {
        if (DocumentSubmission.typeOf(bundle) != DocumentType.CHECKUP_REPORT) {
            return Optional.empty();
        }
        Composition composition = DocumentSubmission.compositionOf(bundle);
        String insurer = DocumentSubmission.subjectOf(bundle).flatMap(PatientRegistry::memberIdOf)
                .map(id -> id.split(":", 2)[0]).orElse("");
        return Optional.of(new CheckupDelivery(insurer, kindOf(composition), agreed(composition)));
    }

    static CheckupKind kindOf(Composition composition) {
        return composition.getEvent().stream()
                .flatMap(e -> e.getCode().stream())
                .flatMap(c -> c.getCoding().stream())
                .filter(c -> PROGRAMME_SYSTEM.equals(c.getSystem()))
                .map(Coding::getCode)
                .map(code -> PROGRAMMES.getOrDefault(code, CheckupKind.UNCLASSIFIED))
                .findFirst()
                .orElse(CheckupKind.UNCLASSIFIED);
    }

    private static boolean agreed(Composition composition) {
        Extension agreement = composition.getExtensionByUrl(GatewayCanonical.INSURER_PROVISION_AGREEMENT);
        return agreement != null && agreement.getValue() instanceof BooleanType yes && yes.booleanValue();
    }
}
