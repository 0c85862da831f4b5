package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.support.GatewayOnH2;

@GatewayOnH2
class TodaysGuideSubmissionOnH2Test extends TodaysGuideSubmissionContract {
}
