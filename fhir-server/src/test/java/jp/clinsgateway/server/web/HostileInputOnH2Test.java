package jp.clinsgateway.server.web;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class HostileInputOnH2Test extends HostileInputContract {
}
