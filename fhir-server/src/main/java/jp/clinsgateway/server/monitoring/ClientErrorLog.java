package jp.clinsgateway.server.monitoring;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.stereotype.Component;

/**
 * A refusal is the gateway working, not failing: every 4xx answer of the FHIR API is logged once, at
 * INFO, as one line without a stack trace. HAPI logs each one itself at WARN or ERROR, with a stack
 * trace, from its interceptor service and its exception handler (a deliberate 404 from the access
 * policy read as "Exception thrown by interceptor"); those entries are dropped. Server errors (5xx)
 * are left to HAPI's exception handler, which logs them at ERROR with their stack trace.
 */
@Component
@Interceptor
public class ClientErrorLog {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ClientErrorLog.class);

    public ClientErrorLog() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
            logback.addTurboFilter(new HapisOwnClientErrorEntries());
        }
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean answered(RequestDetails request, BaseServerResponseException exception) {
        if (exception.getStatusCode() < 500) {
            log.info("{} {} answered {}: {}", request.getRequestType(), request.getRequestPath(), exception.getStatusCode(),
                    exception.getMessage());
        }
        return true;
    }

    static boolean isClientError(Throwable thrown) {
        return thrown instanceof BaseServerResponseException answer && answer.getStatusCode() < 500;
    }

    /** HAPI's WARN/ERROR entries whose exception is a 4xx answer. */
    static final class HapisOwnClientErrorEntries extends TurboFilter {
        private static final String EXCEPTION_HANDLER = "ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor";

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
            if (level == null || !level.isGreaterOrEqual(Level.WARN) || logger == null || !logger.getName().startsWith("ca.uhn.fhir.")) {
                return FilterReply.NEUTRAL;
            }
            // HAPI's exception handler logs a 4xx at WARN by its text alone (no exception to look at).
            if (level == Level.WARN && t == null && EXCEPTION_HANDLER.equals(logger.getName())) {
                return FilterReply.DENY;
            }
            Object last = params == null || params.length == 0 ? null : params[params.length - 1];
            return isClientError(t) || (last instanceof Throwable thrown && isClientError(thrown)) ? FilterReply.DENY : FilterReply.NEUTRAL;
        }
    }
}
