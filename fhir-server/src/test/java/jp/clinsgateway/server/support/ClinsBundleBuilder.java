package jp.clinsgateway.server.support;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds a valid JP_Bundle_CLINS for a test: {@code ClinsBundleBuilder.diagnoses().from(TOKYO_CENTRAL)
 * .forPatient(p).withItems("C1", "C2").build()}. Starts from a validated example of the item type
 * and rewrites only the patient, the institution, the report identifier and the item identifiers.
 */
public final class ClinsBundleBuilder {

    static final String FLAGS = "http://jpfhir.jp/fhir/clins/CodeSystem/JP_ehrshrs_indication";
    static final String INSTITUTION_EXTENSION = "http://jpfhir.jp/fhir/clins/Extension/StructureDefinition/JP_eCS_InstitutionNumber";

    private final String itemType;
    /** The example to start from, when one item type has several (lab results, infection tests). */
    private String exampleId;
    private String institution = Institutions.TOKYO_CENTRAL;
    private TestPatient patient = TestPatient.aPatient();
    private final List<String> flags = new ArrayList<>();
    private java.util.function.Consumer<Resource> change = item -> { };
    private List<String> itemIds = List.of("L" + UUID.randomUUID().toString().substring(0, 8));
    /** The report's own part of Bundle.identifier; unnamed, every build is a new report. */
    private String reportId;

    private ClinsBundleBuilder(String itemType) {
        this.itemType = itemType;
    }

    public static ClinsBundleBuilder diagnoses() {
        return new ClinsBundleBuilder("Condition");
    }

    public static ClinsBundleBuilder allergies() {
        return new ClinsBundleBuilder("AllergyIntolerance");
    }

    public static ClinsBundleBuilder labResults() {
        ClinsBundleBuilder builder = new ClinsBundleBuilder("Observation");
        builder.exampleId = "clins-lab-yoshida-tokyo";
        return builder;
    }

    public static ClinsBundleBuilder infectionTests() {
        ClinsBundleBuilder builder = new ClinsBundleBuilder("Observation");
        builder.exampleId = "clins-infection-takahashi-tokyo";
        return builder;
    }

    public static ClinsBundleBuilder prescriptions() {
        return new ClinsBundleBuilder("MedicationRequest");
    }

    public static ClinsBundleBuilder itemsOf(String resourceType) {
        return new ClinsBundleBuilder(resourceType);
    }

    public ClinsBundleBuilder from(String institutionCode) {
        this.institution = institutionCode;
        return this;
    }

    public ClinsBundleBuilder forPatient(TestPatient testPatient) {
        this.patient = testPatient;
        return this;
    }

    /** One item per local id, cloned from the example's first item. */
    public ClinsBundleBuilder withItems(String... localIds) {
        this.itemIds = List.of(localIds);
        return this;
    }

    /**
     * Names the report ({@code Bundle.identifier} {@code <institution>^2026^<reportId>}): a Bundle
     * built again with the same name is the same report sent again.
     */
    public ClinsBundleBuilder asReport(String reportLocalId) {
        this.reportId = reportLocalId;
        return this;
    }

    /** Sets a sharing flag (UNINFORMED, UNDELIVERED, LTS) on every item. */
    public ClinsBundleBuilder flagged(String flag) {
        this.flags.add(flag);
        return this;
    }

    /** Changes every item after it is cloned (e.g. its dates: {@code each(i -> ((Observation) i).setEffective(...))}). */
    public ClinsBundleBuilder each(java.util.function.Consumer<Resource> itemChange) {
        this.change = this.change.andThen(itemChange);
        return this;
    }

    /** Only the Patient: a withdrawal of the institution's items of this type. */
    public ClinsBundleBuilder withoutItems() {
        this.itemIds = List.of();
        return this;
    }

    public Bundle build() {
        Bundle bundle = exampleId != null ? Examples.bundle(exampleId) : Examples.clinsBundleOf(itemType);
        bundle.setId((String) null);
        bundle.getIdentifier().setValue(institution + "^2026^" + (reportId != null ? reportId : UUID.randomUUID().toString()));
        BundleEntryComponent patientEntry = bundle.getEntryFirstRep();
        rewritePatient((Patient) patientEntry.getResource());
        Resource template = bundle.getEntry().get(1).getResource();
        List<BundleEntryComponent> entries = new ArrayList<>();
        entries.add(patientEntry);
        for (String localId : itemIds) {
            Resource item = template.copy();
            setItemIdentifier(item, institution + "^2026^" + localId);
            ((DomainResource) item).getExtension().stream()
                    .filter(e -> INSTITUTION_EXTENSION.equals(e.getUrl()))
                    .forEach(e -> ((Identifier) e.getValue()).setValue(institution));
            item.getMeta().getTag().removeIf(t -> FLAGS.equals(t.getSystem()));
            flags.forEach(flag -> item.getMeta().addTag(FLAGS, flag, null));
            change.accept(item);
            entries.add(new BundleEntryComponent().setFullUrl("urn:uuid:" + UUID.randomUUID()).setResource(item));
        }
        bundle.setEntry(entries);
        return bundle;
    }

    private void rewritePatient(Patient p) {
        p.getIdentifier().clear();
        p.addIdentifier().setSystem(JpIdentifiers.INSURANCE_MEMBER_ID).setValue(patient.memberId());
        p.addIdentifier().setSystem(JpIdentifiers.localPatientIdSystem(institution)).setValue("P-" + patient.memberId().hashCode());
        p.getName().get(0).setText(patient.fullName()).setFamily(patient.family()).getGiven().clear();
        p.getName().get(0).addGiven(patient.given());
    }

    static void setItemIdentifier(Resource item, String value) {
        Property identifiers = item.getNamedProperty("identifier");
        identifiers.getValues().stream().map(Identifier.class::cast)
                .filter(i -> JpIdentifiers.RESOURCE_INSTANCE.equals(i.getSystem()))
                .forEach(i -> i.setValue(value));
    }
}
