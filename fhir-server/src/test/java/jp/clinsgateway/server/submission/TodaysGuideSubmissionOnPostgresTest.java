package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.support.GatewayOnPostgres;

@GatewayOnPostgres
class TodaysGuideSubmissionOnPostgresTest extends TodaysGuideSubmissionContract {
}
