package jp.clinsgateway.server.access;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class AttacksOnTheAccessPolicyOnPostgresTest extends AttacksOnTheAccessPolicyContract {
}
