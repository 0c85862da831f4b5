package jp.clinsgateway.server.insurers;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class InsurerDeliveryOnPostgresTest extends InsurerDeliveryContract {
}
