package jp.clinsgateway.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import jp.clinsgateway.server.storage.DatabaseDialect;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A counter per patient in the database that moves, in the same transaction, whenever one of that
 * patient's Consents is created, changed or deleted. Reading it is one primary-key lookup, so every
 * request can ask whether the consents it remembers for a patient are still the ones in the database
 * (on this node or any other); a consent write locks only its own patient's row and leaves every
 * other patient's remembered consents valid. A patient without a row is at revision 0.
 * The table is created by {@link jp.clinsgateway.server.storage.GatewayMigrationTasks}.
 */
@Component
@Interceptor
public class ConsentRevision {

    private final JdbcTemplate jdbc;
    private final String advance;

    public ConsentRevision(DataSource dataSource, DatabaseDialect dialect, IInterceptorService storageHooks) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.advance = dialect == DatabaseDialect.POSTGRESQL
                ? "insert into gateway_patient_consent_revision (patient, revision) values (?, 1)"
                + " on conflict (patient) do update set revision = gateway_patient_consent_revision.revision + 1"
                : "merge into gateway_patient_consent_revision r using (select cast(? as varchar(100)) as patient) s"
                + " on r.patient = s.patient when matched then update set revision = r.revision + 1"
                + " when not matched then insert (patient, revision) values (s.patient, 1)";
        // The storage layer's hooks, not the REST server's: consent writes outside a REST request count too.
        storageHooks.registerInterceptor(this);
    }

    /** @param patientReference {@code Patient/[id]} */
    public long of(String patientReference) {
        List<Long> revision = jdbc.queryForList("select revision from gateway_patient_consent_revision where patient = ?",
                Long.class, key(patientReference));
        return revision.isEmpty() ? 0 : revision.get(0);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        advanceFor(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated) {
        // A Consent moved to another patient changes both patients' consents.
        Stream.of(previous, updated).filter(Objects::nonNull).map(ConsentRevision::patientOf).filter(Objects::nonNull)
                .distinct().sorted().forEach(this::advance);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        advanceFor(resource);
    }

    private void advanceFor(IBaseResource resource) {
        String patient = patientOf(resource);
        if (patient != null) {
            advance(patient);
        }
    }

    private void advance(String patient) {
        // Outside the writing transaction the counter could move before the Consent is visible,
        // and a reader would remember the old consents under the new revision.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A Consent change must advance the revision inside its own transaction");
        }
        jdbc.update(advance, patient);
    }

    private static String patientOf(IBaseResource resource) {
        if (!(resource instanceof Consent consent) || !consent.hasPatient() || !consent.getPatient().hasReference()) {
            return null;
        }
        return key(consent.getPatient().getReference());
    }

    private static String key(String patientReference) {
        return new IdType(patientReference).toUnqualifiedVersionless().getValue();
    }
}
