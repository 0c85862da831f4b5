package jp.clinsgateway.server.access;

import jp.clinsgateway.consent.AccessPolicy;
import jp.clinsgateway.consent.InsurerView;
import jp.clinsgateway.server.ig.GatewayCanonical;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The view of a checkup report an insurer receives when the policy grants it only the 特定健診 items:
 * derived from the stored report at read time, never stored. It keeps the Composition, the people and
 * organisations and the checkup's Encounter and coverage, and of the results only those the policy
 * shows; it drops every other entry (other results, grouping results, reports, images, attachments),
 * every narrative (which may mention any result), the section entries of dropped results (and a section
 * left empty), result-to-result references to dropped results, and the signature (which no longer
 * matches). Its {@code meta.tag} says it is a derived view.
 */
final class InsurerCheckupView {

    /** Entries that describe who and where, never a result. */
    private static final Set<String> CONTEXT_TYPES = Set.of("Composition", "Patient", "Organization", "Practitioner",
            "PractitionerRole", "Encounter", "Coverage");

    private InsurerCheckupView() {
    }

    static Bundle of(Bundle stored, InsurerView view, AccessPolicy policy) {
        Bundle shown = new Bundle();
        shown.setIdElement(stored.getIdElement().copy());
        shown.setMeta(stored.getMeta().copy());
        shown.getMeta().addTag(GatewayCanonical.DERIVED_VIEW, view.code(), "特定健診項目のみ（保険者向け）");
        shown.setIdentifier(stored.getIdentifier().copy());
        shown.setType(stored.getType());
        shown.setTimestampElement(stored.getTimestampElement().copy());
        Set<String> kept = new HashSet<>();
        for (Bundle.BundleEntryComponent entry : stored.getEntry()) {
            Resource resource = entry.getResource();
            if (resource != null && (CONTEXT_TYPES.contains(resource.fhirType())
                    || resource instanceof Observation result && shows(result, view, policy))) {
                kept.add(entry.getFullUrl());
            }
        }
        for (Bundle.BundleEntryComponent entry : stored.getEntry()) {
            if (!kept.contains(entry.getFullUrl())) {
                continue;
            }
            Resource copy = entry.getResource().copy();
            if (copy instanceof DomainResource domain) {
                domain.setText(null);
            }
            if (copy instanceof Composition composition) {
                pruneSections(composition.getSection(), kept);
            }
            if (copy instanceof Observation result) {
                result.getHasMember().removeIf(r -> !kept.contains(r.getReference()));
                result.getDerivedFrom().removeIf(r -> !kept.contains(r.getReference()));
            }
            shown.addEntry().setFullUrl(entry.getFullUrl()).setResource(copy);
        }
        return shown;
    }

    /** A result is shown when one of its codes is a shown item, and a grouping result never (its members decide). */
    private static boolean shows(Observation result, InsurerView view, AccessPolicy policy) {
        return !result.hasHasMember() && result.getCode().getCoding().stream()
                .anyMatch(c -> policy.showsResult(view, c.getSystem(), c.getCode()));
    }

    private static void pruneSections(List<Composition.SectionComponent> sections, Set<String> kept) {
        for (Composition.SectionComponent section : sections) {
            section.setText(null);
            List<Reference> entries = section.getEntry();
            entries.removeIf(r -> !kept.contains(r.getReference()));
            pruneSections(section.getSection(), kept);
        }
        sections.removeIf(s -> s.getEntry().isEmpty() && s.getSection().isEmpty());
    }
}
