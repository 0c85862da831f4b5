package jp.clinsgateway.server.retention;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.ExpungeOptions;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IIdType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.util.List;

/**
 * Removes one expired record for good: its resources are deleted and expunged (every version, with
 * their search-index rows, tags and links) in one transaction, so a crash leaves the record either
 * whole or gone, never deleted with its old versions still stored. A withdrawn (deleted) resource
 * loses its stored versions the same way; one already expunged is skipped: running again changes nothing. A document's fetch rows go with it.
 */
@Component
class RecordExpunge {

    private final DaoRegistry daoRegistry;
    private final TransactionTemplate transaction;
    private final JdbcTemplate jdbc;

    RecordExpunge(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager, DataSource dataSource) {
        this.daoRegistry = daoRegistry;
        this.transaction = new TransactionTemplate(transactionManager);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Whether anything was removed (false: another run removed it first). */
    boolean expunge(ExpiredRecords.Expired record) {
        Boolean removed = transaction.execute(status -> {
            boolean any = false;
            for (IIdType id : record.resources()) {
                any |= expunge(id);
                if ("Bundle".equals(id.getResourceType())) {
                    jdbc.update("delete from gateway_document_fetch where document = ?", id.toUnqualifiedVersionless().getValue());
                }
            }
            return any;
        });
        return Boolean.TRUE.equals(removed);
    }

    private boolean expunge(IIdType id) {
        var dao = daoRegistry.getResourceDao(id.getResourceType());
        SystemRequestDetails request = new SystemRequestDetails();
        // Asked of the table, not by a read: a read of a deleted resource throws, which marks the transaction for rollback.
        List<Boolean> deleted = jdbc.queryForList("select res_deleted_at is not null from hfj_resource where res_type = ? and fhir_id = ?",
                Boolean.class, id.getResourceType(), id.getIdPart());
        if (deleted.isEmpty()) {
            return false;
        }
        if (!deleted.get(0)) {
            dao.delete(id, request);
        } // else withdrawn by its author: deleted already, its stored versions still go
        dao.forceExpungeInExistingTransaction(id, new ExpungeOptions().setExpungeDeletedResources(true).setExpungeOldVersions(true), request);
        return true;
    }
}
