package jp.clinsgateway.server.monitoring;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What reaches the log of HAPI's own entries about failed requests. */
class ClientErrorsAreQuietTest {

    private final ClientErrorLog.HapisOwnClientErrorEntries filter = new ClientErrorLog.HapisOwnClientErrorEntries();
    private final Logger interceptors = (Logger) LoggerFactory.getLogger("ca.uhn.fhir.interceptor.executor.BaseInterceptorService");
    private final Logger exceptionHandler = (Logger) LoggerFactory.getLogger("ca.uhn.fhir.rest.server.interceptor.ExceptionHandlingInterceptor");

    @Test
    void aDeliberate404IsNotLoggedAsAnInterceptorError() {
        Object[] params = {"STORAGE_PRESHOW_RESOURCES", "not known", new ResourceNotFoundException("Condition/1")};
        assertEquals(FilterReply.DENY, filter.decide(null, interceptors, Level.ERROR, "Exception thrown by interceptor for pointcut {}: {}", params, null));
        assertEquals(FilterReply.DENY, filter.decide(null, exceptionHandler, Level.WARN, "Failure during REST processing: {}",
                new Object[]{"ResourceNotFoundException: Condition/1"}, null));
    }

    @Test
    void aServerErrorStaysWithItsStackTrace() {
        InternalErrorException broken = new InternalErrorException("boom");
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, interceptors, Level.ERROR, "Exception thrown by interceptor for pointcut {}: {}",
                new Object[]{"SERVER_INCOMING_REQUEST_PRE_HANDLED", "boom", broken}, null));
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, exceptionHandler, Level.ERROR, "Failure during REST processing", null, broken));
        assertEquals(FilterReply.NEUTRAL, filter.decide(null, exceptionHandler, Level.WARN, "Failure during REST processing", null,
                new IllegalStateException("a 5xx that is not an InternalErrorException")));
    }
}
