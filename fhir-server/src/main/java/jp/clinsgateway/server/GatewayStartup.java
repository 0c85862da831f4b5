package jp.clinsgateway.server;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.demo.DemoData;
import jp.clinsgateway.server.ig.GatewayImplementationGuide;
import jp.clinsgateway.server.ig.SearchParameterInstaller;
import jp.clinsgateway.server.labels.LabelMigration;
import jp.clinsgateway.server.submission.SubmissionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * What must be true before the first request is served: our search parameters installed, the
 * validator warm (its first run takes seconds), and, on an empty database, the demo data loaded.
 * Runs as a lifecycle phase that precedes the web server's, so no request meets a half-ready gateway.
 */
@Component
public class GatewayStartup implements SmartLifecycle {

    /** @param demoData load the implementation guide's examples into an empty database */
    @ConfigurationProperties(prefix = "gateway.startup")
    public record Properties(@DefaultValue("true") boolean demoData) {
    }

    private static final Logger log = LoggerFactory.getLogger(GatewayStartup.class);

    private final Properties properties;
    private final GatewayImplementationGuide guide;
    private final DaoRegistry daoRegistry;
    private final ISearchParamRegistry searchParamRegistry;
    private final ClinicalValidator validator;
    private final SubmissionService submissions;
    private final FhirContext fhirContext;
    private final Batch2JobRegisterer jobRegisterer;
    private volatile boolean running;

    public GatewayStartup(Properties properties, GatewayImplementationGuide guide, DaoRegistry daoRegistry,
                          ISearchParamRegistry searchParamRegistry, ClinicalValidator validator,
                          SubmissionService submissions, FhirContext fhirContext, Batch2JobRegisterer jobRegisterer) {
        this.properties = properties;
        this.guide = guide;
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
        this.validator = validator;
        this.submissions = submissions;
        this.fhirContext = fhirContext;
        this.jobRegisterer = jobRegisterer;
    }

    @Override
    public void start() {
        long start = System.nanoTime();
        // Job definitions (e.g. re-indexing after a search parameter changes) would otherwise
        // be registered only after this phase.
        jobRegisterer.start();
        SearchParameterInstaller.install(guide, daoRegistry, searchParamRegistry);
        LabelMigration.run(daoRegistry);
        guide.examples().values().stream().findFirst().ifPresent(validator::validate);
        log.info("Search parameters installed and validator warm in {} ms", (System.nanoTime() - start) / 1_000_000);
        if (properties.demoData()) {
            DemoData.loadIntoEmptyDatabase(guide, submissions, daoRegistry, fhirContext);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the embedded web server (which starts in phase {@code Integer.MAX_VALUE - 1}). */
    @Override
    public int getPhase() {
        return 0;
    }
}
