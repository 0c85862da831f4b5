package jp.clinsgateway.server.notification;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class CheckupNotificationOnH2Test extends CheckupNotificationContract {
}
