package jp.clinsgateway.server.validation;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class ValidateEveryProfiledTypeOnPostgresTest extends ValidateEveryProfiledTypeContract {
}
