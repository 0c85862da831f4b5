package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.web.Rejection;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.profiles.JpProfiles;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.ShareLabels;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.patient.PatientRegistry.PatientMatch;
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
import org.springframework.stereotype.Component;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stores a {@code JP_Bundle_CLINS}: the Patient first, then information items of the one
 * resource type named in {@code meta.tag}. Each item becomes its own searchable resource on the
 * gateway Patient; an item whose identifier was sent before replaces the earlier one; a Bundle
 * holding only the Patient withdraws the institution's items of that type for that patient.
 * Runs inside the submission's transaction.
 */
@Component
class ClinsBundleSubmission {

    static final String RESOURCE_TYPE_TAG = "http://jpfhir.jp/fhir/clins/CodeSystem/BundleResourceType_CS";
    private static final Set<String> ITEM_TYPES = Set.of("Condition", "AllergyIntolerance", "Observation", "MedicationRequest");

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final PatientRegistry patients;

    ClinsBundleSubmission(FhirContext fhirContext, DaoRegistry daoRegistry, PatientRegistry patients) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.patients = patients;
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

    void store(Bundle bundle, String institutionCode, RequestDetails request, SubmissionReceipt receipt) {
        BundleEntryComponent patientEntry = bundle.getEntryFirstRep();
        PatientMatch match = patients.match((Patient) patientEntry.getResource(), institutionCode, request);
        if (match.created()) {
            receipt.created(match.id());
        } else {
            receipt.matched(match.id());
        }
        String itemType = itemType(bundle);
        List<Resource> items = bundle.getEntry().stream().skip(1).map(BundleEntryComponent::getResource).toList();
        if (items.isEmpty()) {
            withdraw(itemType, match.id(), institutionCode, request, receipt);
            return;
        }
        Set<String> patientReferences = ownPatientReferences(bundle);
        for (int i = 0; i < items.size(); i++) {
            Resource item = items.get(i);
            String path = "Bundle.entry[" + (i + 1) + "].resource";
            ItemIdentifier identifier = identifierOf(item, path);
            ShareCategory category = ItemCategories.of(item).orElseThrow();
            pointAtGatewayPatient(item, patientReferences, match.id());
            item.setIdElement(null);
            ShareLabels.apply(item.getMeta(), category, institutionCode, ShareLabels.flagsOf(item.getMeta()));
            upsert(item, identifier, request, receipt);
        }
    }

    private void upsert(Resource item, ItemIdentifier identifier, RequestDetails request, SubmissionReceipt receipt) {
        IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao(item.fhirType());
        SearchParameterMap byIdentifier = SearchParameterMap.newSynchronous()
                .add("identifier", new TokenParam(JpIdentifiers.RESOURCE_INSTANCE, identifier.value()));
        Optional<IBaseResource> earlier = dao.search(byIdentifier, request).getResources(0, 1).stream().findFirst();
        if (earlier.isPresent()) {
            item.setIdElement(new IdType(item.fhirType(), earlier.get().getIdElement().getIdPart()));
            receipt.replaced(dao.update(item, request).getId());
        } else {
            receipt.created(dao.create(item, request).getId());
        }
    }

    private void withdraw(String itemType, IdType patientId, String institutionCode, RequestDetails request,
                          SubmissionReceipt receipt) {
        IFhirResourceDao<IBaseResource> dao = daoRegistry.getResourceDao(itemType);
        SearchParameterMap byAuthor = SearchParameterMap.newSynchronous()
                .add("patient", new ReferenceParam(patientId.getValue()))
                .add("_tag", new TokenParam(GatewayCanonical.AUTHOR_INSTITUTION, institutionCode));
        List<IIdType> ids = dao.search(byAuthor, request).getAllResources().stream()
                .map(r -> r.getIdElement().toUnqualifiedVersionless())
                .toList();
        for (IIdType id : ids) {
            dao.delete(id, request);
            receipt.withdrawn(id);
        }
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
