package jp.clinsgateway.server;

import ca.uhn.fhir.batch2.config.Batch2JobRegisterer;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.server.demo.DemoData;
import jp.clinsgateway.server.health.WarmUp;
import jp.clinsgateway.server.storage.StartingNode;
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
 * What must be true before the first FHIR request is served: our search parameters installed, the
 * validator warm (its first run takes seconds), and, on an empty database, the demo data loaded.
 * Runs once the web server listens, so the probes answer while it warms (liveness up, readiness
 * down); {@link WarmUp} keeps the FHIR API closed (503) until it is done. A node's start-up on the
 * database is one {@link StartingNode} (from before the migration to the end of this work): nodes that
 * start together on one database take turns, and whoever comes second finds the search parameters
 * installed and the demo data loaded.
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
    private final WarmUp warmUp;
    private final StartingNode startingNode;
    private volatile boolean running;

    public GatewayStartup(Properties properties, GatewayImplementationGuide guide, DaoRegistry daoRegistry,
                          ISearchParamRegistry searchParamRegistry, ClinicalValidator validator,
                          SubmissionService submissions, FhirContext fhirContext, Batch2JobRegisterer jobRegisterer,
                          WarmUp warmUp, StartingNode startingNode) {
        this.properties = properties;
        this.guide = guide;
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
        this.validator = validator;
        this.submissions = submissions;
        this.fhirContext = fhirContext;
        this.jobRegisterer = jobRegisterer;
        this.warmUp = warmUp;
        this.startingNode = startingNode;
    }

    @Override
    public void start() {
        long start = System.nanoTime();
        log.info("Warming up: the FHIR API answers 503 and /readyz is down until this is done");
        // Job definitions (e.g. re-indexing after a search parameter changes) would otherwise
        // be registered only after this phase.
        jobRegisterer.start();
        guide.examples().values().stream().findFirst().ifPresent(validator::validate);
        log.info("Validator warm in {} ms", (System.nanoTime() - start) / 1_000_000);
        try {
            SearchParameterInstaller.install(guide, daoRegistry, searchParamRegistry);
            LabelMigration.run(daoRegistry);
            if (properties.demoData()) {
                DemoData.loadIntoEmptyDatabase(guide, submissions, daoRegistry, fhirContext);
            }
        } finally {
            startingNode.done();
        }
        warmUp.done();
        running = true;
        log.info("Gateway warm in {} ms: the FHIR API is open", (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * After the embedded web server (which starts in a phase below {@link SmartLifecycle#DEFAULT_PHASE}), and
     * before the context is reported ready (Boot's readiness state changes only once every phase has started).
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
