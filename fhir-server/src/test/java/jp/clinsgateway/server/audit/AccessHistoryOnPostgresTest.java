package jp.clinsgateway.server.audit;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class AccessHistoryOnPostgresTest extends AccessHistoryContract {
}
