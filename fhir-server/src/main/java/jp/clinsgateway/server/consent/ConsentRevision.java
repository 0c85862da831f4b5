package jp.clinsgateway.server.consent;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;

/**
 * A counter in the database that moves, in the same transaction, whenever any Consent is created,
 * changed or deleted. Reading it is one primary-key lookup, so every request can ask whether the
 * consents it remembers are still the ones in the database (on this node or any other).
 * The table is created by {@link jp.clinsgateway.server.storage.SchemaMigration}.
 */
@Component
@Interceptor
public class ConsentRevision {

    private final JdbcTemplate jdbc;

    public ConsentRevision(DataSource dataSource, IInterceptorService storageHooks) {
        this.jdbc = new JdbcTemplate(dataSource);
        // The storage layer's hooks, not the REST server's: consent writes outside a REST request count too.
        storageHooks.registerInterceptor(this);
    }

    public long current() {
        Long revision = jdbc.queryForObject("select revision from gateway_consent_revision where id = 1", Long.class);
        return revision == null ? 0 : revision;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        advanceIfConsent(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource updated) {
        advanceIfConsent(updated);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        advanceIfConsent(resource);
    }

    private void advanceIfConsent(IBaseResource resource) {
        if (!"Consent".equals(resource.fhirType())) {
            return;
        }
        // Outside the writing transaction the counter could move before the Consent is visible,
        // and a reader would remember the old consents under the new revision.
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("A Consent change must advance the revision inside its own transaction");
        }
        jdbc.update("update gateway_consent_revision set revision = revision + 1 where id = 1");
    }
}
