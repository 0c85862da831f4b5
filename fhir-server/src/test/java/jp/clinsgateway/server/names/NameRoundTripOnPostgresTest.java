package jp.clinsgateway.server.names;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class NameRoundTripOnPostgresTest extends NameRoundTripContract {
}
