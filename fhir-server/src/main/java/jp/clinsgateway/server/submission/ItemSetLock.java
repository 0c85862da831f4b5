package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.web.Rejection;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One lock per institution, item type and patient, held by a submission's transaction from its
 * first statement to its end. Two submissions that could touch the same items (two sends of one
 * report, two reports that share an item, a report and a withdrawal) then run one after the other:
 * the second reads what the first committed, so the stored items are one submission's whole, never
 * a mix of both. Submissions for other patients, institutions or item types never wait.
 *
 * <p>The table (see {@link jp.clinsgateway.server.storage.SchemaMigration}) holds one row per key,
 * named by a SHA-256 of it rather than by the member ID itself. The row is made before the transaction begins, on its
 * own, because a second transaction inserting the same new row would fail on the unique key
 * instead of waiting.
 */
@Component
class ItemSetLock {

    private final JdbcTemplate jdbc;

    ItemSetLock(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The items of one type an institution holds for one patient (by insurance member ID). */
    record ItemSet(String institutionCode, String itemType, String memberId) {

        String key() {
            String named = institutionCode + '\n' + itemType + '\n' + PatientRegistry.normalize(memberId);
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(named.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("Every Java runtime has SHA-256", e);
            }
        }
    }

    /** Makes the lock's row, outside any transaction; a no-op once it exists. */
    void prepare(ItemSet items) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The lock's row is made before the submission's transaction");
        }
        String key = items.key();
        try {
            jdbc.update("insert into gateway_item_set_lock (item_set) select ? where not exists"
                    + " (select 1 from gateway_item_set_lock where item_set = ?)", key, key);
        } catch (DuplicateKeyException e) {
            // Another submission made it at the same moment: it exists, which is all we need.
        }
    }

    /** Waits for and takes the lock until the current transaction ends. */
    void hold(ItemSet items) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The lock is held by the submission's transaction");
        }
        List<String> locked;
        try {
            locked = jdbc.queryForList("select item_set from gateway_item_set_lock where item_set = ? for update", String.class, items.key());
        } catch (TransientDataAccessException e) {
            // The embedded database gives up waiting after 2 s (a lock or query timeout, as the driver
            // reports it); PostgreSQL waits. Nothing is stored: the sender may simply send again.
            throw Rejection.contended("Bundle", "Another submission of this institution's " + items.itemType()
                    + " items for this patient is being stored right now; send the Bundle again");
        }
        if (locked.isEmpty()) {
            throw new IllegalStateException("No lock row: prepare() runs before the submission's transaction");
        }
    }
}
