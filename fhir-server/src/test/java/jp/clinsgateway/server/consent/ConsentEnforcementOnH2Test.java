package jp.clinsgateway.server.consent;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class ConsentEnforcementOnH2Test extends ConsentEnforcementContract {
}
