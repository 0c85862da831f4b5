package jp.clinsgateway.server.insurers;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class InsurerDeliveryOnH2Test extends InsurerDeliveryContract {
}
