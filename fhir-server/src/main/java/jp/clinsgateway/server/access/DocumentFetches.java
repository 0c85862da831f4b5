package jp.clinsgateway.server.access;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Which referral letters their addressee has fetched: in the national service a letter once
 * fetched stays fetched, so a cancelled letter stays readable by the addressee that already has it.
 * Written (once per letter and institution) with the access log entry of the read; the table is
 * created by {@link jp.clinsgateway.server.storage.SchemaMigration}.
 */
@Component
public class DocumentFetches {

    private final JdbcTemplate jdbc;

    DocumentFetches(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void fetched(String document, String institution) {
        jdbc.update("insert into gateway_document_fetch (document, institution, fetched) select ?, ?, ?"
                        + " where not exists (select 1 from gateway_document_fetch where document = ? and institution = ?)",
                document, institution, Timestamp.from(Instant.now()), document, institution);
    }

    /** Whether the institution has fetched the document ({@code Bundle/[id]}). */
    public boolean wasFetchedBy(String document, String institution) {
        Integer count = jdbc.queryForObject("select count(*) from gateway_document_fetch where document = ? and institution = ?",
                Integer.class, document, institution);
        return count != null && count > 0;
    }
}
