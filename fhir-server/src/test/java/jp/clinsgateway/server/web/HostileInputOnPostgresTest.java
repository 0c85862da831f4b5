package jp.clinsgateway.server.web;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class HostileInputOnPostgresTest extends HostileInputContract {
}
