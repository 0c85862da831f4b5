package jp.clinsgateway.server.oversight;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class OversightOnH2Test extends OversightContract {
}
