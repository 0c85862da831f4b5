package jp.clinsgateway.server.support;

import jp.clinsgateway.server.ig.GatewayImplementationGuide;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;

import java.util.Map;

/** The implementation guide's validated examples, which the test builders start from. */
final class Examples {

    private static final GatewayImplementationGuide GUIDE = GatewayImplementationGuide.load(FhirHttp.FHIR);

    private Examples() {
    }

    static Bundle clinsBundleOf(String itemType) {
        return GUIDE.examples().values().stream()
                .filter(Bundle.class::isInstance).map(Bundle.class::cast)
                .filter(b -> b.getType() == Bundle.BundleType.COLLECTION && b.getEntry().size() > 1)
                .filter(b -> b.getMeta().getTag().stream().map(Coding::getCode).anyMatch(itemType::equals))
                .findFirst().orElseThrow(() -> new IllegalStateException("No example CLINS Bundle of " + itemType))
                .copy();
    }

    /** The example with this id, e.g. "clins-lab-yoshida-tokyo". */
    static Bundle bundle(String id) {
        return GUIDE.examples().values().stream()
                .filter(Bundle.class::isInstance).map(Bundle.class::cast)
                .filter(b -> id.equals(b.getIdElement().getIdPart()))
                .findFirst().orElseThrow(() -> new IllegalStateException("No example Bundle " + id))
                .copy();
    }

    static Bundle documentOfType(String compositionTypeCode) {
        return GUIDE.examples().values().stream()
                .filter(Bundle.class::isInstance).map(Bundle.class::cast)
                .filter(b -> b.getType() == Bundle.BundleType.DOCUMENT)
                .filter(b -> ((Composition) b.getEntryFirstRep().getResource()).getType().getCoding().stream()
                        .anyMatch(c -> compositionTypeCode.equals(c.getCode())))
                .findFirst().orElseThrow(() -> new IllegalStateException("No example document of type " + compositionTypeCode))
                .copy();
    }

    static Map<String, org.hl7.fhir.r4.model.Resource> all() {
        return GUIDE.examples();
    }
}
