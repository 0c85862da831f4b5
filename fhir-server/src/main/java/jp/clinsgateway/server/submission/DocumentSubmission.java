package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.web.Rejection;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.consent.RecordFacts;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.patient.PatientRegistry.PatientMatch;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.DocumentReference;
import jp.clinsgateway.server.notification.CheckupNotices;
import jp.clinsgateway.consent.ShareCategory;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

import java.util.Optional;
import java.util.TimeZone;

/**
 * Stores one of the three clinical documents. A FHIR document is immutable: the Bundle is kept
 * as sent (its identifier, signature and every entry), with only the server's id and the
 * gateway's labels in {@code meta}. Beside it the gateway writes a {@code DocumentReference}
 * (profile {@code document-index}) on the gateway Patient, through which documents are found by
 * patient, type, author institution, date and, for referral letters, the addressed institution.
 */
@Component
class DocumentSubmission {

    static final String REFERRAL_TO_SECTION = "910";

    private final DaoRegistry daoRegistry;
    private final PatientRegistry patients;
    private final CheckupNotices notices;

    DocumentSubmission(DaoRegistry daoRegistry, PatientRegistry patients, CheckupNotices notices) {
        this.daoRegistry = daoRegistry;
        this.patients = patients;
        this.notices = notices;
    }

    static DocumentType typeOf(Bundle bundle) {
        Composition composition = compositionOf(bundle);
        return composition.getType().getCoding().stream()
                .filter(c -> DocumentType.TYPE_SYSTEM.equals(c.getSystem()) || "http://loinc.org".equals(c.getSystem()))
                .map(Coding::getCode)
                .map(DocumentType::ofTypeCode)
                .flatMap(Optional::stream)
                .findFirst()
                .orElseThrow(() -> Rejection.unprocessable(IssueType.CODEINVALID, "Bundle.entry[0].resource.type",
                        "The gateway accepts referral letters (57133-1), discharge summaries (18842-5) and checkup reports (53576-5)"));
    }

    /** The sharing-service rules that the profile does not express. Throws a {@link Rejection}. */
    void check(Bundle bundle, String institutionCode) {
        String author = authorInstitution(bundle);
        if (!author.equals(institutionCode)) {
            throw Rejection.forbidden("Bundle.entry[0].resource.custodian",
                    "The document was written by institution " + author + ", but the caller is " + institutionCode);
        }
        if (!(resolve(bundle, compositionOf(bundle).getSubject()) instanceof Patient patient)
                || PatientRegistry.memberIdOf(patient).isEmpty()) {
            throw Rejection.unprocessable(IssueType.REQUIRED, "Bundle.entry[0].resource.subject",
                    "The document's subject must be a Patient in the Bundle with an insurance member ID");
        }
        if (!bundle.hasIdentifier() || !bundle.getIdentifier().hasValue()) {
            throw Rejection.unprocessable(IssueType.REQUIRED, "Bundle.identifier", "A document needs its identifier");
        }
    }

    void store(Bundle bundle, String institutionCode, RequestDetails request, SubmissionReceipt receipt) {
        store(bundle, institutionCode, request, receipt, Optional.empty());
    }

    /** Stores a document; {@code replaces}: the index of the document it changes (変更), now superseded. */
    void store(Bundle bundle, String institutionCode, RequestDetails request, SubmissionReceipt receipt, Optional<IIdType> replaces) {
        DocumentType type = typeOf(bundle);
        Composition composition = compositionOf(bundle);
        rejectIfAlreadyStored(bundle.getIdentifier(), replaces);

        Patient subject = (Patient) resolve(bundle, composition.getSubject());
        PatientMatch match = patients.match(subject, institutionCode, request);
        if (match.created()) {
            receipt.created(match.id());
        } else {
            receipt.matched(match.id());
        }

        RecordFacts facts = new RecordFacts(type.category(), institutionCode, ShareLabels.flagsOf(composition.getMeta()),
                type == DocumentType.REFERRAL_LETTER ? recipientInstitution(bundle) : Optional.empty());
        facts = CheckupClassification.of(bundle).map(facts::withCheckup).orElse(facts);
        ShareLabels.apply(bundle.getMeta(), facts);
        ShareLabels.applySubject(bundle.getMeta(), match.id().toUnqualifiedVersionless().getValue());
        IIdType bundleId = daoRegistry.getResourceDao(Bundle.class).create(bundle, request).getId();
        receipt.created(bundleId);

        DocumentReference index = indexEntry(bundle, type, composition, match.id(), bundleId, institutionCode);
        replaces.ifPresent(earlier -> index.addRelatesTo().setCode(DocumentReference.DocumentRelationshipType.REPLACES)
                .setTarget(new Reference(earlier.toUnqualifiedVersionless().getValue())));
        ShareLabels.apply(index.getMeta(), facts);
        IIdType indexId = daoRegistry.getResourceDao(DocumentReference.class).create(index, request).getId();
        receipt.created(indexId);
        if (type.category() == ShareCategory.CHECKUP_REPORT) {
            notices.reportStored(indexId.toUnqualifiedVersionless().getValue(), index.getMeta());
        }
    }

    private DocumentReference indexEntry(Bundle bundle, DocumentType type, Composition composition, IdType patientId,
                                         IIdType bundleId, String institutionCode) {
        DocumentReference index = new DocumentReference();
        index.getMeta().addProfile(GatewayCanonical.DOCUMENT_INDEX);
        index.setMasterIdentifier(bundle.getIdentifier().copy());
        if (composition.hasIdentifier()) {
            index.addIdentifier(composition.getIdentifier().copy());
        }
        index.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        index.setDocStatus(DocumentReference.ReferredDocumentStatus.FINAL);
        index.setType(composition.getType().copy());
        index.addCategory().addCoding().setSystem(GatewayCanonical.SHARE_CATEGORY).setCode(type.category().code());
        index.setSubject(new Reference(patientId.getValue()));
        if (composition.hasDate()) {
            index.setDateElement(new InstantType(composition.getDate(), TemporalPrecisionEnum.SECOND, TimeZone.getTimeZone("Asia/Tokyo")));
        }
        Optional<Organization> author = authorOrganization(bundle);
        index.addAuthor(institutionReference(institutionCode, author.map(Organization::getName).orElse(null)));
        index.setDescription(composition.getTitle());
        if (type == DocumentType.REFERRAL_LETTER) {
            recipientInstitution(bundle).ifPresent(code -> index.addExtension(GatewayCanonical.RECIPIENT_INSTITUTION,
                    new Identifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(code)));
        }
        index.addContent().getAttachment()
                .setContentType("application/fhir+json")
                .setUrl(bundleId.toUnqualifiedVersionless().getValue())
                .setTitle(composition.getTitle())
                .setCreationElement(composition.getDateElement().copy());
        return index;
    }

    /** A document identifier is held by one current document: after a cancel or a change it may be used again. */
    private void rejectIfAlreadyStored(Identifier identifier, Optional<IIdType> replaces) {
        SearchParameterMap byIdentifier = SearchParameterMap.newSynchronous()
                .add("identifier", new TokenParam(identifier.getSystem(), identifier.getValue()))
                .add("status", new TokenParam(Enumerations.DocumentReferenceStatus.CURRENT.toCode()));
        daoRegistry.getResourceDao(DocumentReference.class).search(byIdentifier, new SystemRequestDetails()).getResources(0, 2)
                .stream()
                .filter(existing -> replaces.map(r -> !r.toUnqualifiedVersionless().getValue()
                        .equals(existing.getIdElement().toUnqualifiedVersionless().getValue())).orElse(true))
                .findFirst().ifPresent(existing -> {
                    throw Rejection.conflict("Bundle.identifier", "A document with identifier " + identifier.getValue()
                            + " is already stored (" + ((DocumentReference) existing).getContentFirstRep().getAttachment().getUrl()
                            + "); documents are immutable: change it with $change-document, or cancel it with $cancel-document");
                });
    }

    /** The writing institution: the custodian Organization's code, else an author Organization's. */
    static String authorInstitution(Bundle bundle) {
        return authorOrganization(bundle)
                .flatMap(DocumentSubmission::institutionCodeOf)
                .orElseThrow(() -> Rejection.unprocessable(IssueType.REQUIRED, "Bundle.entry[0].resource.custodian",
                        "The document's custodian (or author) must be an Organization in the Bundle with a medical institution code ("
                                + JpIdentifiers.INSTITUTION_NUMBER + ")"));
    }

    private static Optional<Organization> authorOrganization(Bundle bundle) {
        Composition composition = compositionOf(bundle);
        if (resolve(bundle, composition.getCustodian()) instanceof Organization custodian
                && institutionCodeOf(custodian).isPresent()) {
            return Optional.of(custodian);
        }
        return composition.getAuthor().stream()
                .map(a -> resolve(bundle, a))
                .filter(Organization.class::isInstance)
                .map(Organization.class::cast)
                .filter(o -> institutionCodeOf(o).isPresent())
                .findFirst();
    }

    /** The document's subject: the Patient in the Bundle its Composition names. */
    static Optional<Patient> subjectOf(Bundle bundle) {
        return resolve(bundle, compositionOf(bundle).getSubject()) instanceof Patient patient ? Optional.of(patient) : Optional.empty();
    }

    /** The institution a referral letter is addressed to: the Organization in its "referral to" section. */
    static Optional<String> recipientInstitution(Bundle bundle) {
        return compositionOf(bundle).getSection().stream()
                .filter(s -> s.getCode().getCoding().stream().anyMatch(c -> REFERRAL_TO_SECTION.equals(c.getCode())))
                .flatMap(s -> s.getEntry().stream())
                .map(r -> resolve(bundle, r))
                .filter(Organization.class::isInstance)
                .map(o -> institutionCodeOf((Organization) o))
                .flatMap(Optional::stream)
                .findFirst();
    }

    private static Optional<String> institutionCodeOf(Organization organization) {
        return organization.getIdentifier().stream()
                .filter(i -> JpIdentifiers.INSTITUTION_NUMBER.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue)
                .findFirst();
    }

    private static Reference institutionReference(String code, String name) {
        return new Reference()
                .setIdentifier(new Identifier().setSystem(JpIdentifiers.INSTITUTION_NUMBER).setValue(code))
                .setDisplay(name);
    }

    static Composition compositionOf(Bundle bundle) {
        if (bundle.getEntry().isEmpty() || !(bundle.getEntryFirstRep().getResource() instanceof Composition composition)) {
            throw Rejection.unprocessable(IssueType.STRUCTURE, "Bundle.entry[0].resource",
                    "The first entry of a document Bundle must be its Composition");
        }
        return composition;
    }

    private static Resource resolve(Bundle bundle, Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        String target = reference.getReference();
        for (BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null) {
                continue;
            }
            if (target.equals(entry.getFullUrl())
                    || target.equals(resource.fhirType() + "/" + resource.getIdElement().getIdPart())) {
                return resource;
            }
        }
        return null;
    }
}
