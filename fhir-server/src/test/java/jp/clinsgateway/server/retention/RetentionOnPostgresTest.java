package jp.clinsgateway.server.retention;

import jp.clinsgateway.server.support.GatewayOnPostgres;
import jp.clinsgateway.server.support.MovableClock;
import org.springframework.context.annotation.Import;

@GatewayOnPostgres
@Import(MovableClock.Configuration.class)
class RetentionOnPostgresTest extends RetentionContract {
}
