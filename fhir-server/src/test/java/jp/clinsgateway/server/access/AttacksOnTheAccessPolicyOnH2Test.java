package jp.clinsgateway.server.access;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class AttacksOnTheAccessPolicyOnH2Test extends AttacksOnTheAccessPolicyContract {
}
