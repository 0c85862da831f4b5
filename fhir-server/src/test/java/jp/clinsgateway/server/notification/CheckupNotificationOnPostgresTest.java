package jp.clinsgateway.server.notification;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class CheckupNotificationOnPostgresTest extends CheckupNotificationContract {
}
