package jp.clinsgateway.server.support;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;

/**
 * The Parameters a document's author sends to {@code $cancel-document}, {@code $restore-document} and
 * {@code $change-document}: the document's identifier and the insured person (insurer number and
 * symbol:number:branch), as the national service keys a document.
 */
public final class DocumentKeys {

    private DocumentKeys() {
    }

    /** The keys of {@code document} of this insured person, with the replacing document for a change (else null). */
    public static String of(Bundle document, String insurer, String insured, Resource replacement) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("identifier").setValue(new Identifier()
                .setSystem(document.getIdentifier().getSystem()).setValue(document.getIdentifier().getValue()));
        parameters.addParameter().setName("insurer").setValue(new StringType(insurer));
        parameters.addParameter().setName("insured").setValue(new StringType(insured));
        if (replacement != null) {
            parameters.addParameter().setName("document").setResource(replacement);
        }
        return FhirHttp.FHIR.newJsonParser().encodeResourceToString(parameters);
    }

    /** The keys of {@code document} of {@code person} (no replacement). */
    public static String of(Bundle document, TestPatient person) {
        String[] memberId = person.memberId().split(":", 2);
        return of(document, memberId[0], memberId[1], null);
    }
}
