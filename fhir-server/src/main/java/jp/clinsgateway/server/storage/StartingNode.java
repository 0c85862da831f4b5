package jp.clinsgateway.server.storage;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;

/**
 * A node's start-up on the shared database, from before the schema migration until its own start-up
 * work is done (see {@code GatewayStartup}), under {@link DatabaseLock#START_UP}. Besides the gateway's
 * own work, HAPI fills tables of its own as its beans start (resource types, for one) and two nodes
 * doing that at once collide; so nodes that start together start one after the other. Released when
 * the start-up work is done, or when the context closes (a failed start).
 */
@Component
public class StartingNode implements DisposableBean {

    private final DataSource dataSource;
    private final DatabaseDialect dialect;
    private DatabaseLock.Held held;

    public StartingNode(DataSource dataSource, DatabaseDialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    public synchronized void begin() {
        if (held == null) {
            held = DatabaseLock.START_UP.take(dataSource, dialect);
        }
    }

    public synchronized void done() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    @Override
    public void destroy() {
        done();
    }
}
