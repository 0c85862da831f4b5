package jp.clinsgateway.server.names;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class NameRoundTripOnH2Test extends NameRoundTripContract {
}
