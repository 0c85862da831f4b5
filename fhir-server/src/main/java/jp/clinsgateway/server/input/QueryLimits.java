package jp.clinsgateway.server.input;

import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.rest.api.RestSearchParameterTypeEnum;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.clinsgateway.server.web.ContainerOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A FHIR request's URL, bounded before HAPI reads it: percent-encoding that decodes to UTF-8, no
 * control characters, at most {@value #PARAMETERS} parameters of at most {@value #VALUES} values of
 * at most {@value #VALUE_LENGTH} characters, {@code _count} and {@code _offset} within their ranges,
 * numbers in number and quantity searches that the index can compare, and ids and version numbers a
 * record can have. Anything else is answered 400 with an OperationOutcome naming the parameter.
 */
@Component
public class QueryLimits extends OncePerRequestFilter {

    static final int PARAMETERS = 50;
    static final int VALUES = 100;
    static final int VALUE_LENGTH = 512;
    /** The largest page; the portal asks for 200. */
    static final int COUNT = 1000;
    /** The deepest offset; further pages are reached through the search's paging links. */
    static final int OFFSET = 10_000;

    private static final Pattern VERSION = Pattern.compile("[0-9]{1,18}");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]+");
    private static final Pattern PREFIX = Pattern.compile("^(eq|ne|gt|lt|ge|le|sa|eb|ap)");

    private final ISearchParamRegistry searchParameters;

    public QueryLimits(@Lazy ISearchParamRegistry searchParameters) {
        this.searchParameters = searchParameters;
    }

    /** A refusal: the parameter (or path element) at fault and why. */
    private record Refusal(String at, String why) {
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/fhir/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String[] path = request.getRequestURI().substring(request.getContextPath().length() + "/fhir/".length()).split("/");
        Optional<Refusal> refusal = checkPath(path);
        if (refusal.isEmpty() && request.getQueryString() != null) {
            refusal = checkQuery(path[0], request.getQueryString());
        }
        if (refusal.isPresent()) {
            ContainerOutcome.write(response, 400, IssueType.INVALID, refusal.get().at(), refusal.get().why());
            return;
        }
        chain.doFilter(request, response);
    }

    private static Optional<Refusal> checkPath(String[] path) {
        if (path.length >= 2 && RESOURCE_TYPE.matcher(path[0]).matches() && !path[1].startsWith("$") && !path[1].startsWith("_")
                && !ID.matcher(path[1]).matches()) {
            return Optional.of(new Refusal(path[0] + ".id", "A resource id is 1 to 64 letters, digits, '-' or '.'"));
        }
        for (int i = 0; i + 1 < path.length; i++) {
            if (path[i].equals("_history") && !VERSION.matcher(path[i + 1]).matches()) {
                return Optional.of(new Refusal("_history", "A version is a number of at most 18 digits"));
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> checkQuery(String resourceType, String query) {
        String[] parameters = query.split("&");
        if (parameters.length > PARAMETERS) {
            return Optional.of(new Refusal(null, "A request carries at most " + PARAMETERS + " parameters; this one has " + parameters.length));
        }
        for (String parameter : parameters) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String rawName = equals < 0 ? parameter : parameter.substring(0, equals);
            Optional<String> name = decoded(rawName);
            if (name.isEmpty()) {
                return Optional.of(new Refusal(null, "A parameter name is not correctly percent-encoded UTF-8: " + printable(rawName)));
            }
            Optional<String> value = decoded(equals < 0 ? "" : parameter.substring(equals + 1));
            if (value.isEmpty()) {
                return Optional.of(new Refusal(name.get(), "The value of '" + name.get()
                        + "' is not correctly percent-encoded UTF-8: each % is followed by two hex digits, and the bytes are UTF-8"));
            }
            Optional<Refusal> refused = TextCharacters.firstRefused(name.get()).or(() -> TextCharacters.firstRefused(value.get()))
                    .map(c -> new Refusal(name.get(), "A control character (" + c + ") is not allowed in a search"));
            if (refused.isEmpty()) {
                refused = checkValue(resourceType, name.get(), value.get());
            }
            if (refused.isPresent()) {
                return refused;
            }
        }
        return Optional.empty();
    }

    private Optional<Refusal> checkValue(String resourceType, String name, String value) {
        if (value.length() > VALUE_LENGTH) {
            return Optional.of(new Refusal(name, "A parameter value holds at most " + VALUE_LENGTH + " characters"));
        }
        String[] values = value.split("(?<!\\\\),", -1);
        if (values.length > VALUES) {
            return Optional.of(new Refusal(name, "A parameter holds at most " + VALUES + " values; this one has " + values.length));
        }
        switch (name) {
            case "_count" -> {
                return withinRange(name, value, COUNT);
            }
            case "_offset" -> {
                return withinRange(name, value, OFFSET);
            }
            case "_getpagesoffset" -> {
                return withinRange(name, value, Integer.MAX_VALUE);
            }
            default -> {
            }
        }
        if (!RESOURCE_TYPE.matcher(resourceType).matches() || name.startsWith("_")) {
            return Optional.empty();
        }
        RestSearchParameterTypeEnum type = typeOf(resourceType, name);
        if (type != RestSearchParameterTypeEnum.NUMBER && type != RestSearchParameterTypeEnum.QUANTITY) {
            return Optional.empty();
        }
        for (String each : values) {
            String number = PREFIX.matcher(each).replaceFirst("");
            int bar = number.indexOf('|');
            number = bar < 0 ? number : number.substring(0, bar);
            if (!ResourceLimits.isStorableDecimal(number)) {
                return Optional.of(new Refusal(name, "'" + printable(each) + "' is not a number the gateway can compare: at most "
                        + ResourceLimits.DECIMAL_INTEGER_DIGITS + " digits before and " + ResourceLimits.DECIMAL_FRACTION_DIGITS
                        + " after the decimal point"));
            }
        }
        return Optional.empty();
    }

    private RestSearchParameterTypeEnum typeOf(String resourceType, String name) {
        String plain = name.split("[:.]", 2)[0];
        try {
            RuntimeSearchParam parameter = searchParameters.getActiveSearchParam(resourceType, plain,
                    ISearchParamRegistry.SearchParamLookupContextEnum.SEARCH);
            return parameter == null ? null : parameter.getParamType();
        } catch (RuntimeException unknownType) {
            return null;
        }
    }

    private static Optional<Refusal> withinRange(String name, String value, int max) {
        try {
            long n = Long.parseLong(value);
            if (n >= 0 && n <= max) {
                return Optional.empty();
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        return Optional.of(new Refusal(name, "'" + name + "' is a whole number from 0 to " + max + "; got '" + printable(value) + "'"));
    }

    /** Percent-decoding that refuses what browsers and Tomcat would silently repair or drop. */
    static Optional<String> decoded(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(raw.charAt(i + 1), 16);
                int low = Character.digit(raw.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private static String printable(String text) {
        String shown = text.codePoints().map(c -> c < 0x20 || c >= 0x7F && c <= 0x9F ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
    }
}
