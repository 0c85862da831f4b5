package jp.clinsgateway.server.patient;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import jp.clinsgateway.server.ig.GatewayCanonical;
import jp.clinsgateway.server.labels.PatientRelations;
import jp.clinsgateway.server.names.NameSearchKey;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps one gateway Patient per person across institutions, keyed by the insurance member ID.
 * Each institution's local patient ID is added to that Patient as another identifier, and each
 * submitting institution as a relation ({@link PatientRelations}).
 *
 * <p>The gateway Patient is the gateway's own record, built from the first submission: names
 * are copied exactly; the member ID value is kept in NFKC form so that the same ID sent with
 * full-width or half-width characters by two institutions matches one person.
 */
@Service
public class PatientRegistry {

    private final DaoRegistry daoRegistry;

    public PatientRegistry(DaoRegistry daoRegistry) {
        this.daoRegistry = daoRegistry;
    }

    /** The gateway Patient a submission's Patient was matched to, and whether it was new. */
    public record PatientMatch(IdType id, boolean created) {
    }

    /** The gateway Patient for the submitted one; created or extended inside the caller's transaction. */
    public PatientMatch match(Patient submitted, String institutionCode, RequestDetails request) {
        String memberId = memberIdOf(submitted)
                .orElseThrow(() -> new IllegalArgumentException("The Patient has no insurance member ID"));
        Optional<Patient> existing = findByMemberId(memberId, request);
        if (existing.isEmpty()) {
            Patient created = newGatewayPatient(submitted, memberId, institutionCode);
            PatientRelations.addSubmitter(created.getMeta(), institutionCode);
            IdType id = (IdType) patientDao().create(created, conditionalUrl(memberId), request).getId();
            return new PatientMatch(id.toUnqualifiedVersionless(), true);
        }
        Patient patient = existing.get();
        boolean localIdChanged = addLocalId(patient, submitted, institutionCode);
        if (PatientRelations.addSubmitter(patient.getMeta(), institutionCode) | localIdChanged) {
            patientDao().update(patient, request);
        }
        return new PatientMatch(patient.getIdElement().toUnqualifiedVersionless(), false);
    }

    public Optional<Patient> findByMemberId(String memberId, RequestDetails request) {
        SearchParameterMap byMemberId = SearchParameterMap.newSynchronous()
                .add(Patient.SP_IDENTIFIER, new TokenParam(JpIdentifiers.INSURANCE_MEMBER_ID, normalize(memberId)));
        IBundleProvider found = patientDao().search(byMemberId, request);
        List<?> resources = found.getResources(0, 2);
        if (resources.size() > 1) {
            throw new IllegalStateException("Two gateway Patients share the member ID " + memberId);
        }
        return resources.stream().map(Patient.class::cast).findFirst();
    }

    public static Optional<String> memberIdOf(Patient patient) {
        return patient.getIdentifier().stream()
                .filter(i -> JpIdentifiers.INSURANCE_MEMBER_ID.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue)
                .findFirst();
    }

    /** The search keys of every name of the patient, for variant-tolerant name search. */
    public static void writeNameSearchKeys(Patient patient) {
        patient.getExtension().removeIf(e -> GatewayCanonical.NAME_SEARCH_KEY.equals(e.getUrl()));
        Set<String> keys = new LinkedHashSet<>();
        for (HumanName name : patient.getName()) {
            keys.add(NameSearchKey.of(name.getText()));
            keys.add(NameSearchKey.of(name.getFamily()));
            name.getGiven().forEach(given -> keys.add(NameSearchKey.of(given.getValue())));
            // JP-CLINS 1.12 allows a foreign name without a family name.
            keys.add(NameSearchKey.of(Objects.toString(name.getFamily(), "") + name.getGivenAsSingleString()));
        }
        keys.stream().filter(k -> !k.isEmpty())
                .forEach(k -> patient.addExtension(new Extension(GatewayCanonical.NAME_SEARCH_KEY, new StringType(k))));
    }

    private Patient newGatewayPatient(Patient submitted, String memberId, String institutionCode) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(JpIdentifiers.INSURANCE_MEMBER_ID).setValue(normalize(memberId));
        addLocalId(patient, submitted, institutionCode);
        submitted.getName().forEach(name -> patient.addName(name.copy()));
        patient.setGender(submitted.getGender());
        patient.setBirthDateElement(submitted.getBirthDateElement().copy());
        submitted.getAddress().forEach(address -> patient.addAddress(address.copy()));
        submitted.getTelecom().forEach(telecom -> patient.addTelecom(telecom.copy()));
        writeNameSearchKeys(patient);
        return patient;
    }

    /** Adds (or corrects) the institution's local patient ID; true when the Patient changed. */
    private static boolean addLocalId(Patient patient, Patient submitted, String institutionCode) {
        String system = JpIdentifiers.localPatientIdSystem(institutionCode);
        Optional<String> localId = submitted.getIdentifier().stream()
                .filter(i -> system.equals(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue)
                .findFirst();
        if (localId.isEmpty()) {
            return false;
        }
        Optional<Identifier> current = patient.getIdentifier().stream().filter(i -> system.equals(i.getSystem())).findFirst();
        if (current.isPresent() && localId.get().equals(current.get().getValue())) {
            return false;
        }
        current.ifPresentOrElse(i -> i.setValue(localId.get()),
                () -> patient.addIdentifier().setSystem(system).setValue(localId.get()));
        return true;
    }

    /** The member ID as stored and compared: NFKC, so full-width and half-width forms are one ID. */
    public static String normalize(String memberId) {
        return Normalizer.normalize(memberId.strip(), Normalizer.Form.NFKC);
    }

    private static String conditionalUrl(String memberId) {
        // The value may hold characters that are special in a URL ("&", "#", full-width text).
        return "Patient?identifier=" + URLEncoder.encode(
                JpIdentifiers.INSURANCE_MEMBER_ID + "|" + normalize(memberId), StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    private IFhirResourceDao<Patient> patientDao() {
        return daoRegistry.getResourceDao(Patient.class);
    }
}
