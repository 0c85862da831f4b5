package jp.clinsgateway.server.web;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses request bodies above {@code gateway.web.max-request-size} with 413 and an
 * OperationOutcome, before the body is parsed: by Content-Length when it is declared, and by
 * counting while reading when it is not (chunked uploads).
 */
@Component
public class RequestSizeLimit extends OncePerRequestFilter {

    /** @param maxRequestSize the largest request body accepted */
    @ConfigurationProperties(prefix = "gateway.web")
    public record Properties(@DefaultValue("10MB") DataSize maxRequestSize) {
    }

    private final long limit;

    public RequestSizeLimit(Properties properties) {
        this.limit = properties.maxRequestSize().toBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > limit) {
            refuse(response);
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    private void refuse(HttpServletResponse response) throws IOException {
        ContainerOutcome.write(response, 413, IssueType.TOOCOSTLY,
                "The request body is larger than this gateway accepts (" + limit + " bytes)");
    }

    /** Unchecked, so that HAPI, which is reading the body, answers it as 413 with an OperationOutcome. */
    private static PayloadTooLargeException tooLarge(long limit) {
        return new PayloadTooLargeException("The request body is larger than this gateway accepts (" + limit + " bytes)");
    }

    private interface Read {
        int next() throws IOException;
    }

    /**
     * A body that ends before its declared Content-Length, or a malformed chunk, is the client's
     * fault: unchecked, so that HAPI answers it as 400 with an OperationOutcome instead of a 500.
     */
    private static int readOrRefuse(Read read) throws IOException {
        try {
            return read.next();
        } catch (org.apache.catalina.connector.ClientAbortException gone) {
            throw gone;
        } catch (IOException unreadable) {
            throw new InvalidRequestException("The request body could not be read to its end: it is shorter than its "
                    + "Content-Length, or its chunked encoding is broken");
        }
    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {
        private final long limit;

        LimitedRequest(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long count;

                @Override
                public int read() throws IOException {
                    int b = readOrRefuse(() -> in.read());
                    if (b >= 0 && ++count > limit) {
                        throw tooLarge(limit);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = readOrRefuse(() -> in.read(buffer, offset, length));
                    if (n > 0 && (count += n) > limit) {
                        throw tooLarge(limit);
                    }
                    return n;
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
