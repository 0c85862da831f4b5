package jp.clinsgateway.server.submission;

import jp.clinsgateway.server.web.Rejection;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.ValidationResult;
import jp.clinsgateway.profiles.ClinicalValidator;
import jp.clinsgateway.profiles.GuideReconciliation;
import jp.clinsgateway.profiles.JpProfiles;
import jp.clinsgateway.server.identity.Caller;
import jp.clinsgateway.server.identity.CallerResolver;
import jp.clinsgateway.server.patient.PatientRegistry;
import jp.clinsgateway.server.names.PrivateUseCharacters;
import jp.clinsgateway.server.patient.JpIdentifiers;
import jp.clinsgateway.server.monitoring.GatewayMeters;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The write path: parse, validate the whole Bundle against the profile its kind selects, check
 * the sharing-service rules, then store everything in one database transaction. Any failure
 * answers 4xx with an OperationOutcome and leaves nothing stored.
 */
@Service
public class SubmissionService {

    private final FhirContext fhirContext;
    private final ClinicalValidator validator;
    private final CallerResolver callers;
    private final ClinsBundleSubmission clinsBundles;
    private final DocumentSubmission documents;
    private final DocumentLifecycle lifecycle;
    private final TransactionTemplate transaction;
    private final GatewayMeters meters;

    public SubmissionService(FhirContext fhirContext, ClinicalValidator validator, CallerResolver callers,
                             ClinsBundleSubmission clinsBundles, DocumentSubmission documents, DocumentLifecycle lifecycle,
                             PlatformTransactionManager transactionManager, GatewayMeters meters) {
        this.meters = meters;
        this.fhirContext = fhirContext;
        this.validator = validator;
        this.callers = callers;
        this.clinsBundles = clinsBundles;
        this.documents = documents;
        this.lifecycle = lifecycle;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    /** Accepts a JP_Bundle_CLINS or one of the three documents from the caller; answers what was stored. */
    public Bundle submit(String body, RequestDetails request) {
        String institution = callers.resolve(request).institutionCode()
                .orElseThrow(() -> Rejection.unauthenticated("Submissions need the submitting institution's identity"));
        return submit(body, institution, request);
    }

    /** Accepts a submission on behalf of the given institution (the caller, or the demo data loader). */
    public Bundle submit(String body, String institution, RequestDetails request) {
        Prepared prepared = prepare(body, institution);
        return store(prepared, () -> {
            if (prepared.document()) {
                documents.store(prepared.bundle(), institution, request, prepared.receipt());
            } else {
                clinsBundles.store(prepared.bundle(), institution, request, prepared.receipt());
            }
        });
    }

    /**
     * A change (変更): the new document replaces the earlier one in one transaction — the earlier one
     * superseded, the new one stored — or nothing happens. Same patient, same kind of document.
     */
    public Bundle change(DocumentLifecycle.StoredDocument earlier, String body, Caller author, RequestDetails request) {
        String institution = author.institutionCode().orElseThrow();
        Prepared prepared = prepare(body, institution);
        if (!prepared.document()) {
            throw Rejection.unprocessable(IssueType.VALUE, "Bundle.type", "A document is changed by a document (Bundle type 'document')");
        }
        DocumentType newType = DocumentSubmission.typeOf(prepared.bundle());
        DocumentType oldType = DocumentSubmission.typeOf(earlier.bundle());
        if (newType != oldType) {
            throw Rejection.unprocessable(IssueType.BUSINESSRULE, "Bundle.entry[0].resource.type",
                    "A " + oldType.typeCode() + " document is changed by another " + oldType.typeCode() + ", not by a " + newType.typeCode());
        }
        Optional<String> newPerson = DocumentSubmission.subjectOf(prepared.bundle()).flatMap(PatientRegistry::memberIdOf).map(PatientRegistry::normalize);
        if (!newPerson.equals(PatientRegistry.memberIdOf(earlier.patient()).map(PatientRegistry::normalize))) {
            throw Rejection.unprocessable(IssueType.BUSINESSRULE, "Bundle.entry[0].resource.subject",
                    "A change is about the same patient (the same insurance member ID) as the document it changes");
        }
        return store(prepared, () -> {
            lifecycle.supersede(earlier, author);
            documents.store(prepared.bundle(), institution, request, prepared.receipt(), Optional.of(earlier.index().getIdElement()));
        });
    }

    /** A submission parsed, validated and checked against the sharing rules, ready to store. */
    private record Prepared(Bundle bundle, boolean document, OperationOutcome outcome, SubmissionReceipt receipt) {
    }

    private Prepared prepare(String body, String institution) {
        if (!JpIdentifiers.isInstitutionCode(institution)) {
            throw Rejection.unauthenticated("'" + institution + "' is not a 10-digit medical institution code");
        }
        Bundle bundle = parse(body);
        SubmissionLimits.check(bundle);
        boolean document = switch (bundle.getType() == null ? Bundle.BundleType.NULL : bundle.getType()) {
            case COLLECTION -> false;
            case DOCUMENT -> true;
            default -> throw Rejection.unprocessable(IssueType.VALUE, "Bundle.type",
                    "Submit information items as a JP_Bundle_CLINS (type 'collection') or a document (type 'document'); got '"
                            + (bundle.getType() == null ? "" : bundle.getType().toCode()) + "'");
        };
        // Selected by URL: a sender following JP-CLINS 1.5.3 or later declares url|version.
        List<String> declared = bundle.getMeta().getProfile().stream().map(CanonicalType::getValue).map(JpProfiles::withoutVersion).toList();
        String profile = document ? DocumentSubmission.typeOf(bundle).profileFor(declared) : ClinsBundleSubmission.profileFor(bundle);

        OperationOutcome outcome = validate(textToValidate(body, bundle, declared, profile), profile);
        if (document) {
            documents.check(bundle, institution);
        } else {
            clinsBundles.check(bundle, institution);
        }
        warnAboutPrivateUseCharacters(bundle, outcome);
        if (!document) {
            clinsBundles.prepare(bundle, institution);
        }
        return new Prepared(bundle, document, outcome, new SubmissionReceipt());
    }

    /** Everything in one database transaction, or nothing. */
    private Bundle store(Prepared prepared, Runnable work) {
        transaction.executeWithoutResult(status -> work.run());
        return prepared.receipt().with(prepared.outcome());
    }

    private Bundle parse(String body) {
        if (body == null || body.isBlank()) {
            throw Rejection.malformed("The request has no body: send a Bundle");
        }
        EncodingEnum encoding = EncodingEnum.detectEncodingNoDefault(body);
        if (encoding == null) {
            throw Rejection.malformed("The body is neither FHIR JSON nor FHIR XML");
        }
        IBaseResource resource;
        try {
            resource = encoding.newParser(fhirContext).parseResource(body);
        } catch (DataFormatException e) {
            throw Rejection.malformed("The body could not be parsed as FHIR " + encoding.name() + ": " + e.getMessage());
        }
        if (!(resource instanceof Bundle bundle)) {
            throw Rejection.unprocessable(IssueType.STRUCTURE, resource.fhirType(),
                    "Submit a Bundle; got a " + resource.fhirType());
        }
        return bundle;
    }

    /**
     * A withdrawal or a prescription Bundle that declares JP_Bundle_CLINS, as a sender following
     * JP-CLINS would, is checked against our stand-in profile instead: JP_Bundle_CLINS' own rules
     * R02142/R02143 refuse both, and the validator checks every declared profile.
     */
    private String textToValidate(String body, Bundle bundle, List<String> declared, String profile) {
        if (profile.equals(JpProfiles.BUNDLE_CLINS) || !declared.contains(JpProfiles.BUNDLE_CLINS)) {
            return body;
        }
        Bundle undeclared = bundle.copy();
        undeclared.getMeta().getProfile().removeIf(p -> JpProfiles.BUNDLE_CLINS.equals(JpProfiles.withoutVersion(p.getValue())));
        return fhirContext.newJsonParser().encodeResourceToString(undeclared);
    }

    /**
     * Errors reject the submission; warnings travel back with the receipt, and of the information
     * issues only the gateway's own (which guide version each profile was validated against), not the
     * validator's chatter.
     */
    private OperationOutcome validate(String body, String profile) {
        ValidationResult result;
        long start = System.nanoTime();
        try {
            result = validator.validateText(body, profile);
            meters.validation("submission", result.isSuccessful(), Duration.ofNanos(System.nanoTime() - start));
        } catch (BaseServerResponseException e) {
            throw e;
        } catch (RuntimeException e) {
            // The HL7 validator can throw on content it cannot walk; that is still the sender's input.
            throw Rejection.unprocessable(IssueType.PROCESSING, "Bundle", "The Bundle could not be validated against "
                    + profile + ": " + e.getMessage());
        }
        OperationOutcome outcome = (OperationOutcome) result.toOperationOutcome();
        if (!result.isSuccessful()) {
            throw Rejection.withOutcome(outcome, new UnprocessableEntityException(
                    "The Bundle does not conform to " + profile));
        }
        outcome.getIssue().removeIf(issue -> issue.getSeverity() == IssueSeverity.INFORMATION
                && !GuideReconciliation.addedByTheGateway(issue));
        return outcome;
    }

    private static void warnAboutPrivateUseCharacters(Bundle bundle, OperationOutcome outcome) {
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            if (!(bundle.getEntry().get(i).getResource() instanceof Patient patient)) {
                continue;
            }
            for (int j = 0; j < patient.getName().size(); j++) {
                HumanName name = patient.getName().get(j);
                String path = "Bundle.entry[" + i + "].resource.name[" + j + "]";
                warnIfPrivateUse(outcome, path + ".text", name.getText());
                warnIfPrivateUse(outcome, path + ".family", name.getFamily());
                for (int k = 0; k < name.getGiven().size(); k++) {
                    warnIfPrivateUse(outcome, path + ".given[" + k + "]", name.getGiven().get(k).getValue());
                }
            }
        }
    }

    private static void warnIfPrivateUse(OperationOutcome outcome, String path, String text) {
        List<String> found = PrivateUseCharacters.in(text);
        if (!found.isEmpty()) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.WARNING)
                    .setCode(IssueType.INFORMATIONAL)
                    .setDiagnostics("The name holds private-use character(s) " + String.join(", ", found)
                            + ": stored exactly as sent, but other systems cannot know what they show; only the insurer can resolve them")
                    .addExpression(path);
        }
    }
}
