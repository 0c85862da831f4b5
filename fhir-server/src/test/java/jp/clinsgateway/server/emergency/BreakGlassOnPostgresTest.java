package jp.clinsgateway.server.emergency;

import jp.clinsgateway.server.support.GatewayOnPostgres;
import jp.clinsgateway.server.support.MovableClock;
import org.springframework.context.annotation.Import;

@GatewayOnPostgres
@Import(MovableClock.Configuration.class)
class BreakGlassOnPostgresTest extends BreakGlassContract {
}
