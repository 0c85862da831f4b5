package jp.clinsgateway.server.audit;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class AccessHistoryOnH2Test extends AccessHistoryContract {
}
