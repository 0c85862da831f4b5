package jp.clinsgateway.server.input;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import jp.clinsgateway.server.web.Rejection;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.springframework.stereotype.Component;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A request body must be UTF-8 (FHIR's only encoding for JSON and XML). Decoded leniently, broken
 * bytes would become U+FFFD and be stored as a damaged name; so the body is decoded strictly
 * first, and a body that is not UTF-8 is refused (400) naming the element that holds the broken
 * bytes, where the rest of the body can still be read.
 */
@Component
public class Utf8Bodies {

    private static final char REPLACEMENT = '\uFFFD';

    private final FhirContext fhirContext;

    public Utf8Bodies(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean refuseBrokenUtf8(RequestDetails request) {
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            String message = "The request body is not valid UTF-8: FHIR JSON and XML are sent as UTF-8";
            throw Rejection.badRequest(pathOfDamage(new String(body, StandardCharsets.UTF_8)).orElse(null), message);
        }
        return true;
    }

    /** Where the broken bytes sit, read from the leniently decoded body (the bytes became U+FFFD). */
    private Optional<String> pathOfDamage(String decoded) {
        EncodingEnum encoding = EncodingEnum.detectEncodingNoDefault(decoded);
        if (encoding == null) {
            return Optional.empty();
        }
        try {
            IBaseResource resource = encoding.newParser(fhirContext).parseResource(decoded);
            return resource instanceof Base base ? find(base, resource.fhirType()) : Optional.empty();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static Optional<String> find(Base element, String path) {
        if (element instanceof PrimitiveType<?> primitive && primitive.hasValue()
                && primitive.getValueAsString().indexOf(REPLACEMENT) >= 0) {
            return Optional.of(path);
        }
        for (Property property : element.children()) {
            for (int i = 0; i < property.getValues().size(); i++) {
                Base child = property.getValues().get(i);
                if (child != null) {
                    Optional<String> found = find(child, path + "." + ResourceLimits.nameOf(property, child)
                            + (property.getMaxCardinality() > 1 ? "[" + i + "]" : ""));
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }
}
