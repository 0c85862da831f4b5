package jp.clinsgateway.server.oversight;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class OversightOnPostgresTest extends OversightContract {
}
