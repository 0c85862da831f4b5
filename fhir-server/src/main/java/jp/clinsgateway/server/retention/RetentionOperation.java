package jp.clinsgateway.server.retention;

import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import jp.clinsgateway.consent.ShareCategory;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.stereotype.Component;

import java.util.Date;
import java.util.Map;

/**
 * {@code POST [base]/$retention} (operator only, by the access policy): expunges every record whose
 * retention period is over, or with {@code dry-run=true} only says what would go. Answers, per
 * category, how many records ({@code count} parts) and, for a dry run, which resources
 * ({@code record}); 409 while another run is under way. Defined in the implementation guide as
 * OperationDefinition {@code retention}.
 */
@Component
public class RetentionOperation {

    private final RetentionRun run;

    public RetentionOperation(RetentionRun run) {
        this.run = run;
    }

    @Operation(name = "$retention", idempotent = false, canonicalUrl = "http://clinsgateway.jp/fhir/OperationDefinition/retention")
    public Parameters retention(@OperationParam(name = "dry-run", max = 1) BooleanType dryRun) {
        boolean dry = dryRun != null && Boolean.TRUE.equals(dryRun.getValue());
        RetentionReport report = dry ? run.dryRun("operator")
                : run.run("operator").orElseThrow(() -> Rejection.contended("dry-run",
                "Another retention run is under way (on this or another node); ask again when it has finished"));
        Parameters answer = new Parameters();
        answer.addParameter().setName("dry-run").setValue(new BooleanType(report.dryRun()));
        answer.addParameter().setName("as-of").setValue(new InstantType(Date.from(report.asOf())));
        for (Map.Entry<ShareCategory, Integer> count : report.counts().entrySet()) {
            Parameters.ParametersParameterComponent part = answer.addParameter().setName("count");
            part.addPart().setName("category").setValue(new StringType(count.getKey().code()));
            part.addPart().setName("records").setValue(new IntegerType(count.getValue()));
        }
        answer.addParameter().setName("total").setValue(new IntegerType(report.total()));
        if (report.dryRun()) {
            report.removed().forEach(r -> answer.addParameter().setName("record").setValue(new Reference(r)));
        }
        return answer;
    }
}
