package jp.clinsgateway.server.submission;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.RecordFacts;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.access.DocumentFetches;
import jp.clinsgateway.server.audit.AccessAudit;
import jp.clinsgateway.server.audit.AccessEntry;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.notification.CheckupNotices;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.storage.SnapshotWrites;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations.DocumentReferenceStatus;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Component;

import java.text.Normalizer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A stored document's life after submission, as the national service has it: its author cancels it
 * (取消), undoes the cancel (取消UNDO) or changes it (変更 = cancel and register, at once). Keyed as
 * the national service keys it: the document identifier, the insurer number and the insured person's
 * number (symbol:number:branch of the insurance member ID), and the calling institution. A cancelled
 * or changed document keeps its record (its index shows {@code entered-in-error} or {@code superseded})
 * and is relabelled so that only its author reads it, and the addressee of a referral letter it had
 * already fetched. Every step is in the patient's access log. Runs inside the caller's transaction.
 */
@Component
public class DocumentLifecycle {

    /** A stored document: its index, the Bundle itself, its patient. */
    public record StoredDocument(DocumentReference index, Bundle bundle, Patient patient) {

        public String author() {
            return ShareLabels.authorOf(index.getMeta()).orElse("");
        }

        String patientReference() {
            return "Patient/" + patient.getIdElement().getIdPart();
        }
    }

    private final DaoRegistry daoRegistry;
    private final DocumentFetches fetches;
    private final AccessAudit audit;
    private final CheckupNotices notices;

    DocumentLifecycle(DaoRegistry daoRegistry, DocumentFetches fetches, AccessAudit audit, CheckupNotices notices) {
        this.daoRegistry = daoRegistry;
        this.fetches = fetches;
        this.audit = audit;
        this.notices = notices;
    }

    /**
     * The document with this identifier whose patient has this insurer and insured-person number;
     * the newest when it was changed more than once. 404 otherwise, whoever asks.
     */
    public StoredDocument find(Identifier identifier, String insurer, String insured) {
        if (identifier == null || !identifier.hasValue()) {
            throw Rejection.badRequest("identifier", "Name the document by its identifier (Bundle.identifier: system and value)");
        }
        if (insurer == null || !insurer.matches("[0-9]{8}") || insured == null || insured.isBlank()) {
            throw Rejection.badRequest("insurer", "Name the insured person: insurer (8-digit insurer number) and insured (symbol:number:branch)");
        }
        String memberId = PatientRegistry.normalize(insurer + ":" + insured);
        SearchParameterMap byIdentifier = SearchParameterMap.newSynchronous()
                .add("identifier", new TokenParam(identifier.getSystem(), identifier.getValue()));
        List<DocumentReference> indexes = daoRegistry.getResourceDao(DocumentReference.class)
                .search(byIdentifier, new SystemRequestDetails()).getAllResources().stream()
                .map(DocumentReference.class::cast)
                .sorted(Comparator.comparing((DocumentReference d) -> d.getMeta().getLastUpdated()).reversed())
                .toList();
        for (DocumentReference index : indexes) {
            Patient patient = daoRegistry.getResourceDao(Patient.class).read(new IdType(index.getSubject().getReference()), new SystemRequestDetails());
            boolean samePerson = PatientRegistry.memberIdOf(patient).map(id -> Normalizer.normalize(id, Normalizer.Form.NFKC).equals(memberId)).orElse(false);
            if (samePerson) {
                Bundle bundle = daoRegistry.getResourceDao(Bundle.class).read(new IdType(index.getContentFirstRep().getAttachment().getUrl()),
                        new SystemRequestDetails());
                return new StoredDocument(index, bundle, patient);
            }
        }
        throw Rejection.notFound("identifier", "No document " + identifier.getValue() + " of that insured person is known");
    }

    /** Cancels a current document (a cancelled one stays cancelled). */
    public void cancel(StoredDocument document, Caller author) {
        if (document.index().getStatus() == DocumentReferenceStatus.SUPERSEDED) {
            throw Rejection.conflict("identifier", "The document was changed; cancel the document that replaced it");
        }
        standing(document, DocumentReferenceStatus.ENTEREDINERROR);
        log(document, author, AccessEntry.Kind.DOCUMENT_CANCELLED, "The author cancelled the document");
    }

    /** Undoes the cancel of a document, if no other document holds its identifier meanwhile. */
    public void restore(StoredDocument document, Caller author) {
        if (document.index().getStatus() != DocumentReferenceStatus.ENTEREDINERROR) {
            throw Rejection.conflict("identifier", "Only a cancelled document can be restored; this one is "
                    + document.index().getStatus().toCode());
        }
        SearchParameterMap current = SearchParameterMap.newSynchronous()
                .add("identifier", new TokenParam(document.bundle().getIdentifier().getSystem(), document.bundle().getIdentifier().getValue()))
                .add("status", new TokenParam(DocumentReferenceStatus.CURRENT.toCode()));
        if (!daoRegistry.getResourceDao(DocumentReference.class).search(current, new SystemRequestDetails()).getResources(0, 1).isEmpty()) {
            throw Rejection.conflict("identifier", "Another document now holds this identifier; it cannot be restored");
        }
        standing(document, DocumentReferenceStatus.CURRENT);
        log(document, author, AccessEntry.Kind.DOCUMENT_RESTORED, "The author restored the cancelled document");
        if (category(document.index()) == ShareCategory.CHECKUP_REPORT) {
            // back in the insurers' since-query (its lastUpdated is now), so told as a stored one is
            notices.reportStored(document.index().getIdElement().toUnqualifiedVersionless().getValue(), document.index().getMeta());
        }
    }

    /** The first half of a change: the earlier document stands superseded (the new one is then stored, replacing it). */
    void supersede(StoredDocument document, Caller author) {
        if (document.index().getStatus() != DocumentReferenceStatus.CURRENT) {
            throw Rejection.conflict("identifier", "Only a current document can be changed; this one is " + document.index().getStatus().toCode());
        }
        standing(document, DocumentReferenceStatus.SUPERSEDED);
        log(document, author, AccessEntry.Kind.DOCUMENT_CHANGED, "The author changed the document: it is replaced by a new version");
    }

    /** Writes the document's new standing: its index's status, and the labels of index and Bundle re-derived from it. */
    private void standing(StoredDocument document, DocumentReferenceStatus status) {
        DocumentReference index = document.index();
        boolean withdrawn = status != DocumentReferenceStatus.CURRENT;
        Optional<String> addressee = category(index) == ShareCategory.REFERRAL_LETTER
                ? DocumentSubmission.recipientInstitution(document.bundle()) : Optional.empty();
        String bundleId = document.bundle().getIdElement().toUnqualifiedVersionless().getValue();
        boolean fetched = addressee.map(to -> fetches.wasFetchedBy(bundleId, to)).orElse(false);
        RecordFacts facts = new RecordFacts(category(index), document.author(),
                ShareLabels.flagsOf(DocumentSubmission.compositionOf(document.bundle()).getMeta()), addressee)
                .withCancelled(withdrawn, fetched);
        facts = CheckupClassification.of(document.bundle()).map(facts::withCheckup).orElse(facts);
        index.setStatus(status);
        ShareLabels.apply(index.getMeta(), facts);
        ShareLabels.apply(document.bundle().getMeta(), facts);
        daoRegistry.getResourceDao(DocumentReference.class).update(index, SnapshotWrites.request());
        daoRegistry.getResourceDao(Bundle.class).update(document.bundle(), SnapshotWrites.request());
    }

    private void log(StoredDocument document, Caller author, AccessEntry.Kind kind, String explanation) {
        audit.record(List.of(new AccessEntry(author, kind, document.patientReference(), AccessEntry.Outcome.PERMITTED, explanation,
                "Bundle", List.of(), Map.of(category(document.index()), 1), List.of(document.bundle().getIdElement().toUnqualifiedVersionless().getValue(),
                document.index().getIdElement().toUnqualifiedVersionless().getValue()), Optional.empty())));
    }

    private static ShareCategory category(DocumentReference index) {
        return index.getCategory().stream().flatMap(c -> c.getCoding().stream())
                .filter(c -> GatewayCanonical.SHARE_CATEGORY.equals(c.getSystem())).map(c -> ShareCategory.fromCode(c.getCode()))
                .flatMap(Optional::stream).findFirst().orElseThrow();
    }
}
