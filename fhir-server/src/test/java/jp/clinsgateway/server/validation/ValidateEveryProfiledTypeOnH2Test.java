package jp.clinsgateway.server.validation;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class ValidateEveryProfiledTypeOnH2Test extends ValidateEveryProfiledTypeContract {
}
