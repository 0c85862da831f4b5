package jp.clinsgateway.server.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/** Installs {@link OperationOutcomeErrorReport} as the embedded Tomcat's error report, and hands TRACE to {@link UnofferedMethods}. */
@Component
public class ErrorReportConfiguration implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        // Tomcat would refuse TRACE itself, with an empty body; let it through to UnofferedMethods, which refuses it
        // with an OperationOutcome before any servlet could echo it.
        factory.addConnectorCustomizers(connector -> connector.setAllowTrace(true));
        factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(OperationOutcomeErrorReport.class.getName());
            }
        });
    }
}
