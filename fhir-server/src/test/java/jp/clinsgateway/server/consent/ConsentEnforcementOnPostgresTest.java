package jp.clinsgateway.server.consent;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class ConsentEnforcementOnPostgresTest extends ConsentEnforcementContract {
}
