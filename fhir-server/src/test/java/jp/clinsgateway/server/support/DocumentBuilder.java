package jp.clinsgateway.server.support;

import jp.clinsgateway.server.patient.JpIdentifiers;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds a valid document for a test: {@code DocumentBuilder.referralLetter().from(TOKYO_CENTRAL)
 * .to(OSAKA_CLINIC).forPatient(p).build()}. Starts from a validated example and rewrites the
 * institutions, the patient and the identifiers.
 */
public final class DocumentBuilder {

    private static final String DOCUMENT_SECTION = "http://jpfhir.jp/fhir/clins/CodeSystem/document-section";

    private final String typeCode;
    private String institution = Institutions.TOKYO_CENTRAL;
    private String recipient;
    private TestPatient patient = TestPatient.aPatient();
    private final String documentId = UUID.randomUUID().toString();
    private boolean sectionCodesOf154;
    /** A checkup's programme (健診プログラムサービスコード): insurer-run 特定健診 unless a test says otherwise. */
    private String checkupProgramme = "010";
    private Boolean agreedOnQuestionnaire;
    private static final String INSURER_PROVISION_AGREEMENT = "http://clinsgateway.jp/fhir/StructureDefinition/insurer-provision-agreement";
    private java.util.Date date;

    private DocumentBuilder(String typeCode) {
        this.typeCode = typeCode;
    }

    public static DocumentBuilder referralLetter() {
        return new DocumentBuilder("57133-1");
    }

    public static DocumentBuilder dischargeSummary() {
        return new DocumentBuilder("18842-5");
    }

    public static DocumentBuilder checkupReport() {
        return new DocumentBuilder("53576-5");
    }

    public DocumentBuilder from(String institutionCode) {
        this.institution = institutionCode;
        return this;
    }

    public DocumentBuilder to(String recipientInstitution) {
        this.recipient = recipientInstitution;
        return this;
    }

    public DocumentBuilder forPatient(TestPatient testPatient) {
        this.patient = testPatient;
        return this;
    }

    /**
     * A discharge summary as JP-CLINS 1.5.4 and later write it: present and past illness under the
     * referral letter's codes 360 and 370 (not 362, 372), with family history (550) and social
     * history (640) sections.
     */
    public DocumentBuilder withSectionCodesOf154() {
        this.sectionCodesOf154 = true;
        return this;
    }

    /** A checkup run under this programme: 010 特定健診 (insurer-run, the default), 030 事業者健診, 990 other (人間ドック). */
    public DocumentBuilder ranBy(String programmeCode) {
        this.checkupProgramme = programmeCode;
        return this;
    }

    /** A checkup whose questionnaire says whether the patient agreed to its results reaching the insurer (null: not asked). */
    public DocumentBuilder agreedOnQuestionnaire(Boolean agreed) {
        this.agreedOnQuestionnaire = agreed;
        return this;
    }

    /** The document's date (Composition.date), as the author's system would set it. */
    public DocumentBuilder dated(java.time.Instant when) {
        this.date = java.util.Date.from(when);
        return this;
    }

    public String identifier() {
        return documentId;
    }

    public Bundle build() {
        Bundle example = Examples.documentOfType(typeCode);
        String json = FhirHttp.FHIR.newJsonParser().encodeResourceToString(example);
        Composition composition = (Composition) example.getEntryFirstRep().getResource();
        // Institution codes appear in several places (organisations, local patient ID systems,
        // extensions): move every occurrence, as a real sender's document would have them.
        String author = institutionOf(example, composition.getCustodian().getReference()).orElseThrow();
        json = json.replace(author, institution);
        if (recipient != null) {
            String exampleRecipient = recipientOf(example).orElseThrow();
            json = json.replace(exampleRecipient, recipient);
        }
        Bundle bundle = FhirHttp.FHIR.newJsonParser().parseResource(Bundle.class, json);
        bundle.setId((String) null);
        bundle.getIdentifier().setValue(documentId);
        Composition rewritten = (Composition) bundle.getEntryFirstRep().getResource();
        rewritten.getIdentifier().setValue(institution + "^2026^" + documentId);
        Patient p = (Patient) entry(bundle, rewritten.getSubject().getReference()).orElseThrow();
        p.getIdentifier().removeIf(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()));
        p.addIdentifier().setSystem(JpIdentifiers.INSURANCE_MEMBER_ID).setValue(patient.memberId());
        p.getName().get(0).setText(patient.fullName()).setFamily(patient.family()).getGiven().clear();
        p.getName().get(0).addGiven(patient.given());
        if (sectionCodesOf154) {
            writeSectionCodesOf154(rewritten);
        }
        rewritten.getEvent().stream().flatMap(e -> e.getCode().stream()).flatMap(c -> c.getCoding().stream())
                .filter(c -> "urn:oid:1.2.392.200119.6.1002".equals(c.getSystem()))
                .forEach(c -> c.setCode(checkupProgramme).setDisplay(switch (checkupProgramme) {
                    case "010" -> "特定健診";
                    case "030" -> "事業者健診";
                    default -> "その他の健診（検診）";
                }));
        if (agreedOnQuestionnaire != null) {
            rewritten.addExtension(INSURER_PROVISION_AGREEMENT, new org.hl7.fhir.r4.model.BooleanType(agreedOnQuestionnaire));
        }
        if (date != null) {
            rewritten.setDateElement(new org.hl7.fhir.r4.model.DateTimeType(date, ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                    java.util.TimeZone.getTimeZone("Asia/Tokyo")));
        }
        return bundle;
    }

    private static void writeSectionCodesOf154(Composition composition) {
        List<Composition.SectionComponent> structured = composition.getSectionFirstRep().getSection();
        int pastIllness = -1;
        for (int i = 0; i < structured.size(); i++) {
            for (Coding coding : structured.get(i).getCode().getCoding()) {
                switch (coding.getCode()) {
                    case "362" -> coding.setCode("360");
                    case "372" -> {
                        coding.setCode("370");
                        pastIllness = i;
                    }
                    default -> {
                    }
                }
            }
        }
        structured.add(pastIllness + 1, section("家族歴", "550", "家族歴セクション", "父：高血圧症、脳梗塞（70歳）。母：2型糖尿病。"));
        structured.add(pastIllness + 2, section("社会歴・生活習慣", "640", "社会歴・生活習慣セクション",
                "喫煙歴なし。飲酒は機会飲酒。夫と二人暮らし、ADLは自立。"));
    }

    private static Composition.SectionComponent section(String title, String code, String display, String text) {
        Composition.SectionComponent section = new Composition.SectionComponent().setTitle(title);
        section.getCode().addCoding().setSystem(DOCUMENT_SECTION).setCode(code).setDisplay(display);
        section.getText().setStatus(Narrative.NarrativeStatus.ADDITIONAL)
                .setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">" + text + "</div>");
        return section;
    }

    private static Optional<String> recipientOf(Bundle bundle) {
        Composition composition = (Composition) bundle.getEntryFirstRep().getResource();
        return composition.getSection().stream()
                .filter(s -> s.getCode().getCoding().stream().anyMatch(c -> "910".equals(c.getCode())))
                .flatMap(s -> s.getEntry().stream())
                .map(r -> institutionOf(bundle, r.getReference()))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<String> institutionOf(Bundle bundle, String reference) {
        return entry(bundle, reference)
                .filter(Organization.class::isInstance)
                .flatMap(o -> ((Organization) o).getIdentifier().stream()
                        .filter(i -> JpIdentifiers.INSTITUTION_NUMBER.equals(i.getSystem()))
                        .map(Identifier::getValue)
                        .findFirst());
    }

    private static Optional<Resource> entry(Bundle bundle, String reference) {
        return bundle.getEntry().stream()
                .filter(e -> reference != null && reference.equals(e.getFullUrl()))
                .map(Bundle.BundleEntryComponent::getResource)
                .findFirst();
    }
}
