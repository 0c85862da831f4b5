package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.web.Rejection;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.profiles.JpProfiles;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.patient.PatientRegistry.PatientMatch;
import jp.clinsgateway.server.submission.StoredItems.StoredItem;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import jakarta.persistence.EntityManager;
import org.springframework.stereotype.Component;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores a {@code JP_Bundle_CLINS}: the Patient first, then information items of the one
 * resource type named in {@code meta.tag}. Each item becomes its own searchable resource on the
 * gateway Patient; an item whose identifier was sent before replaces the earlier one.
 *
 * <p>The Bundle is a report (JP-CLINS: 1報告単位), named by its {@code Bundle.identifier} for its
 * patient: a report sent again under the same identifier replaces the earlier one whole, so the
 * items it no longer holds are withdrawn. A report under a new identifier is a new report: the
 * earlier reports keep their items, except those it carries itself (an item identifier is one
 * record, whichever report it last came in). A Bundle holding only the Patient withdraws the
 * institution's items of that type for that patient, every report of that type. Withdrawn items
 * are deleted: no reader, the author included, is served them again; their versions stay in the
 * database's history and the receipt lists each one. Runs inside the submission's transaction.
 */
@Component
class ClinsBundleSubmission {

    static final String RESOURCE_TYPE_TAG = "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS";
    private static final Set<String> ITEM_TYPES = Set.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest");

    /** Identifiers looked up per query when finding what a Bundle's items replace. */
    private static final int LOOKUP_BATCH = 100;

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final PatientRegistry patients;
    private final ItemSetLock locks;
    private final StoredItems stored;
    private final EntityManager entityManager;

    ClinsBundleSubmission(FhirContext fhirContext, DaoRegistry daoRegistry, PatientRegistry patients, ItemSetLock locks,
                          StoredItems stored, EntityManager entityManager) {
        this.entityManager = entityManager;
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.patients = patients;
        this.locks = locks;
        this.stored = stored;
    }

    /** The sharing-service rules that the profile does not express. Throws a {@link Rejection}. */
    void check(Bundle bundle, String institutionCode) {
        List<BundleEntryComponent> entries = bundle.getEntry();
        if (entries.isEmpty() || !(entries.get(0).getResource() instanceof Patient patient)) {
            throw Rejection.unprocessable(IssueType.STRUCTURE, "Bundle.entry[0].resource",
                    "The first entry of a JP_Bundle_CLINS must be the Patient");
        }
        if (PatientRegistry.memberIdOf(patient).isEmpty()) {
            throw Rejection.unprocessable(IssueType.REQUIRED, "Bundle.entry[0].resource.identifier",
                    "The Patient needs an insurance member ID (" + JpIdentifiers.INSURANCE_MEMBER_ID + ")");
        }
        ReportIdentifier report = reportOf(bundle);
        if (!report.institutionCode().equals(institutionCode)) {
            throw Rejection.forbidden("Bundle.identifier.value", "Report " + report.value() + " names institution "
                    + report.institutionCode() + ", but the caller is " + institutionCode
                    + ": a report identifier starts with the code of the institution that sends it");
        }
        String itemType = itemType(bundle);
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < entries.size(); i++) {
            String path = "Bundle.entry[" + i + "].resource";
            Resource item = entries.get(i).getResource();
            if (item == null || !itemType.equals(item.fhirType())) {
                throw Rejection.unprocessable(IssueType.INVALID, path, "This Bundle carries " + itemType
                        + " items (meta.tag); entry " + i + " is " + (item == null ? "empty" : item.fhirType())
                        + ". Send each resource type in its own Bundle");
            }
            ItemIdentifier identifier = identifierOf(item, path);
            if (!identifier.institutionCode().equals(institutionCode)) {
                throw Rejection.forbidden(path + ".identifier", "Item " + identifier.value()
                        + " names institution " + identifier.institutionCode() + ", but the caller is " + institutionCode);
            }
            if (!seen.add(identifier.value())) {
                throw Rejection.unprocessable(IssueType.DUPLICATE, path + ".identifier",
                        "The identifier " + identifier.value() + " appears twice in this Bundle");
            }
            refersOnlyToItsOwnPatient(item, path, ownPatientReferences(bundle));
        }
    }

    /**
     * An item may point only at the Bundle's own Patient (which becomes the gateway Patient) and at
     * its contained resources: a reference to anything stored, another patient above all, would write
     * into someone else's chart.
     */
    private static void refersOnlyToItsOwnPatient(Resource item, String path, Set<String> ownPatient) {
        for (Map.Entry<String, Reference> found : ReferencePaths.of(item, path).entrySet()) {
            String target = found.getValue().getReference();
            if (!target.startsWith("#") && !ownPatient.contains(target)) {
                throw Rejection.unprocessable(IssueType.BUSINESSRULE, found.getKey(), "An item refers only to the Bundle's own Patient ("
                        + String.join(" or ", ownPatient) + ") and to its contained resources; '" + target + "' is neither");
            }
        }
    }

    /** The ways an item may name the Bundle's own Patient: its entry's fullUrl, or its local Patient/[id]. */
    private static Set<String> ownPatientReferences(Bundle bundle) {
        BundleEntryComponent patient = bundle.getEntryFirstRep();
        Set<String> references = new HashSet<>();
        if (patient.hasFullUrl()) {
            references.add(patient.getFullUrl());
        }
        if (patient.getResource().getIdElement().hasIdPart()) {
            references.add("Patient/" + patient.getResource().getIdElement().getIdPart());
        }
        return references;
    }

    /** Before the submission's transaction: makes sure the lock {@link #store} takes exists. */
    void prepare(Bundle bundle, String institutionCode) {
        locks.prepare(itemSetOf(bundle, institutionCode));
    }

    void store(Bundle bundle, String institutionCode, RequestDetails request, SubmissionReceipt receipt) {
        String itemType = itemType(bundle);
        locks.hold(itemSetOf(bundle, institutionCode));
        BundleEntryComponent patientEntry = bundle.getEntryFirstRep();
        PatientMatch match = patients.match((Patient) patientEntry.getResource(), institutionCode, request);
        if (match.created()) {
            receipt.created(match.id());
        } else {
            receipt.matched(match.id());
        }
        ReportIdentifier report = reportOf(bundle);
        List<Resource> items = bundle.getEntry().stream().skip(1).map(BundleEntryComponent::getResource).toList();
        if (items.isEmpty()) {
            String why = "a Bundle holding only the Patient (" + report.value() + ") withdraws every " + itemType
                    + " item of institution " + institutionCode + " for this patient";
            for (StoredItem withdrawn : stored.of(itemType, match.id(), institutionCode, Optional.empty(), request)) {
                stored.withdraw(withdrawn, why, request, receipt);
                outOfTheSession();
            }
            return;
        }
        // What the report held before, read before any of its items is written.
        List<StoredItem> earlier = match.created() ? List.of()
                : stored.of(itemType, match.id(), institutionCode, Optional.of(report), request);
        Set<String> patientReferences = ownPatientReferences(bundle);
        Set<String> kept = new HashSet<>();
        List<ItemIdentifier> identifiers = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            identifiers.add(identifierOf(items.get(i), "Bundle.entry[" + (i + 1) + "].resource"));
        }
        Map<String, String> storedIds = storedIdsOf(itemType, identifiers, request);
        // Each write as HAPI does it alone (auto flush, its own TransactionDetails): writing with commit-time flushing or
        // one shared TransactionDetails made the database refuse index rows of a resent report whose last step fails
        // (fk_spidxstr_resource) instead of rolling back cleanly; the identifier lookups stay batched. After each write
        // its rows leave the session: every query HAPI makes flushes first, and that flush checks every entity the
        // session holds, so a session keeping all earlier items made storing quadratic in the item count.
        for (int i = 0; i < items.size(); i++) {
            Resource item = items.get(i);
            ShareCategory category = ItemCategories.of(item).orElseThrow();
            pointAtGatewayPatient(item, patientReferences, match.id());
            item.setIdElement(null);
            ShareLabels.apply(item.getMeta(), category, institutionCode, ShareLabels.flagsOf(item.getMeta()));
            ShareLabels.applyReport(item.getMeta(), report.value());
            kept.add(upsert(item, Optional.ofNullable(storedIds.get(identifiers.get(i).value())), request, receipt).getIdPart());
            outOfTheSession();
        }
        for (StoredItem left : earlier) {
            if (!kept.contains(left.id().getIdPart())) {
                stored.withdraw(left, "item " + left.itemIdentifier() + " is no longer in report " + report.value()
                        + ", which was sent again", request, receipt);
                outOfTheSession();
            }
        }
    }

    /** The write's rows sent to the database (still uncommitted) and dropped from the session, which stays small. */
    private void outOfTheSession() {
        entityManager.flush();
        entityManager.clear();
    }

    /** The lock of the items this Bundle may change: its institution's items of its type for its patient. */
    private static ItemSetLock.ItemSet itemSetOf(Bundle bundle, String institutionCode) {
        Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
        return new ItemSetLock.ItemSet(institutionCode, itemType(bundle), PatientRegistry.memberIdOf(patient).orElseThrow());
    }

    /** Items already stored under these identifiers (identifier value to server id): a few queries, not one per item. */
    private Map<String, String> storedIdsOf(String itemType, List<ItemIdentifier> identifiers, RequestDetails request) {
        IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao(itemType);
        Map<String, String> ids = new HashMap<>();
        for (int from = 0; from < identifiers.size(); from += LOOKUP_BATCH) {
            TokenOrListParam anyOf = new TokenOrListParam();
            identifiers.subList(from, Math.min(identifiers.size(), from + LOOKUP_BATCH))
                    .forEach(identifier -> anyOf.addOr(new TokenParam(JpIdentifiers.RESOURCE_INSTANCE, identifier.value())));
            SearchParameterMap byIdentifier = SearchParameterMap.newSynchronous().add("identifier", anyOf);
            for (IBaseResource found : dao.search(byIdentifier, request).getAllResources()) {
                identifiersOf((Resource) found).stream()
                        .filter(i -> JpIdentifiers.RESOURCE_INSTANCE.equals(i.getSystem()) && i.hasValue())
                        .forEach(i -> ids.putIfAbsent(i.getValue(), found.getIdElement().getIdPart()));
            }
        }
        return ids;
    }

    private IIdType upsert(Resource item, Optional<String> storedId, RequestDetails request, SubmissionReceipt receipt) {
        IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao(item.fhirType());
        if (storedId.isPresent()) {
            item.setIdElement(new IdType(item.fhirType(), storedId.get()));
            IIdType id = dao.update(item, request).getId();
            receipt.replaced(id);
            return id;
        }
        IIdType id = dao.create(item, request).getId();
        receipt.created(id);
        return id;
    }

    private void pointAtGatewayPatient(Resource item, Set<String> patientReferences, IdType gatewayPatient) {
        for (Reference reference : fhirContext.newTerser().getAllPopulatedChildElementsOfType(item, Reference.class)) {
            if (reference.hasReference() && patientReferences.contains(reference.getReference())) {
                reference.setReference(gatewayPatient.getValue());
            }
        }
    }

    /**
     * JP_Bundle_CLINS for items; our withdrawal-bundle for a Patient-only Bundle and our
     * prescription-bundle for prescriptions, both of which JP_Bundle_CLINS 1.5.2 refuses.
     */
    static String profileFor(Bundle bundle) {
        if (bundle.getEntry().size() == 1) {
            return GatewayCanonical.WITHDRAWAL_BUNDLE;
        }
        boolean prescriptions = bundle.getMeta().getTag().stream()
                .anyMatch(t -> RESOURCE_TYPE_TAG.equals(t.getSystem()) && "MedicationRequest".equals(t.getCode()));
        return prescriptions ? GatewayCanonical.PRESCRIPTION_BUNDLE : JpProfiles.BUNDLE_CLINS;
    }

    static String itemType(Bundle bundle) {
        return bundle.getMeta().getTag().stream()
                .filter(t -> RESOURCE_TYPE_TAG.equals(t.getSystem()))
                .map(Coding::getCode)
                .filter(ITEM_TYPES::contains)
                .findFirst()
                .orElseThrow(() -> Rejection.unprocessable(IssueType.REQUIRED, "Bundle.meta.tag",
                        "A JP_Bundle_CLINS names its item type in meta.tag (" + RESOURCE_TYPE_TAG + "): one of " + ITEM_TYPES));
    }

    /**
     * The Bundle's report identifier. The profiles already demand it (JP_Bundle_CLINS R02151/R2152,
     * withdrawal-bundle and prescription-bundle alike); this names the element if one slipped through.
     */
    static ReportIdentifier reportOf(Bundle bundle) {
        return ReportIdentifier.of(bundle).orElseThrow(() -> Rejection.unprocessable(IssueType.REQUIRED, "Bundle.identifier",
                "A JP_Bundle_CLINS names its report: Bundle.identifier with system " + JpIdentifiers.BUNDLE_IDENTIFIER
                        + " and value <10-digit institution code>^<year>^<id>"));
    }

    private static ItemIdentifier identifierOf(Resource item, String path) {
        List<Identifier> identifiers = identifiersOf(item);
        for (int j = 0; j < identifiers.size(); j++) {
            Identifier identifier = identifiers.get(j);
            if (JpIdentifiers.RESOURCE_INSTANCE.equals(identifier.getSystem())) {
                String at = path + ".identifier[" + j + "].value";
                return ItemIdentifier.parse(identifier.getValue()).orElseThrow(() -> Rejection.unprocessable(
                        IssueType.VALUE, at, "An item identifier is <10-digit institution code>^<year>^<local id>; got '"
                                + identifier.getValue() + "'"));
            }
        }
        throw Rejection.unprocessable(IssueType.REQUIRED, path + ".identifier",
                "Every item needs an identifier with system " + JpIdentifiers.RESOURCE_INSTANCE);
    }

    @SuppressWarnings("unchecked")
    private static List<Identifier> identifiersOf(Resource item) {
        return (List<Identifier>) (List<?>) item.getNamedProperty("identifier").getValues();
    }
}
