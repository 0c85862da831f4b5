package jp.clinsgateway.server.retention;

import jp.clinsgateway.server.support.GatewayOnH2;
import jp.clinsgateway.server.support.MovableClock;
import org.springframework.context.annotation.Import;

@GatewayOnH2
@Import(MovableClock.Configuration.class)
class RetentionOnH2Test extends RetentionContract {
}
