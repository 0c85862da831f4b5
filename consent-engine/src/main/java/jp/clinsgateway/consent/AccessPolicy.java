package jp.clinsgateway.consent;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static jp.clinsgateway.consent.Interaction.CREATE;
import static jp.clinsgateway.consent.Interaction.DELETE;
import static jp.clinsgateway.consent.Interaction.PAGE;
import static jp.clinsgateway.consent.Interaction.READ;
import static jp.clinsgateway.consent.Interaction.SEARCH;
import static jp.clinsgateway.consent.Interaction.UPDATE;
import static jp.clinsgateway.consent.Interaction.VREAD;

/**
 * The gateway's one policy decision point: every access decision it makes, from plain facts to a
 * decision with the rule that made it. Deny by default: a caller, interaction, resource type or
 * operation that a rule here does not name is refused.
 *
 * <ul>
 *   <li>{@link #request}: whether a kind of request may be made at all (who, what interaction, on which
 *       type or operation, with which scopes and purpose);</li>
 *   <li>{@link #readRecord} / {@link #visibleSet}: which clinical records (the consent rules, {@link ConsentEngine});</li>
 *   <li>{@link #readPatient} / {@link #patientSearch} / {@link #patientView}: who finds which patient, and sees how much;</li>
 *   <li>{@link #readConsent} / {@link #consentSearch} / {@link #recordConsent} / {@link #reviseConsent}: consents as data;</li>
 *   <li>{@link #consentCheck} / {@link #consentCode} / {@link #referralDestinations}: the consent operations;</li>
 *   <li>{@link #readAccessLogEntry} / {@link #accessLogSearch}: the access log;</li>
 *   <li>{@link #subscription} / {@link #subscriptionSearch} / {@link #notifiesOfReport}: insurers' subscriptions
 *       to their members' new checkup reports;</li>
 *   <li>{@link #readPage}, {@link #readVersion}: pages of searches and versions of records;</li>
 *   <li>{@link #audited}: which accesses the patient's access log records.</li>
 * </ul>
 */
public final class AccessPolicy {

    /** One thing a kind of caller may do: an interaction on a kind of resource, or one of the operations. */
    private record Permission(Interaction interaction, ResourceKind kind, GatewayOperation operation) {
    }

    private static final Map<Requester.Kind, Set<Permission>> PERMISSIONS = new EnumMap<>(Requester.Kind.class);

    static {
        PERMISSIONS.put(Requester.Kind.INSTITUTION, permissions(
                reads(ResourceKind.SHARED_RECORD), byId(ResourceKind.DOCUMENT), reads(ResourceKind.PATIENT),
                reads(ResourceKind.CONSENT), writes(ResourceKind.CONSENT), reads(ResourceKind.CONFORMANCE),
                operations(GatewayOperation.SUBMIT, GatewayOperation.VALIDATE, GatewayOperation.CONSENT_CHECK,
                        GatewayOperation.CANCEL_DOCUMENT, GatewayOperation.RESTORE_DOCUMENT, GatewayOperation.CHANGE_DOCUMENT,
                        GatewayOperation.DESTINATION_CHECK, GatewayOperation.BREAK_GLASS,
                        // its privacy officer's part: which ones is decided by emergencyReviews
                        GatewayOperation.EMERGENCY_REVIEWS, GatewayOperation.REVIEW_EMERGENCY, GatewayOperation.INSTITUTION_SEARCH)));
        PERMISSIONS.put(Requester.Kind.PATIENT, permissions(
                reads(ResourceKind.SHARED_RECORD), byId(ResourceKind.DOCUMENT), reads(ResourceKind.PATIENT),
                reads(ResourceKind.CONSENT), writes(ResourceKind.CONSENT), reads(ResourceKind.ACCESS_LOG),
                reads(ResourceKind.CONFORMANCE),
                operations(GatewayOperation.VALIDATE, GatewayOperation.CONSENT_CHECK, GatewayOperation.CONSENT_CODE,
                        GatewayOperation.REFERRAL_DESTINATIONS, GatewayOperation.INSTITUTION_SEARCH)));
        PERMISSIONS.put(Requester.Kind.INSURER, permissions(
                reads(ResourceKind.SHARED_RECORD), byId(ResourceKind.DOCUMENT), reads(ResourceKind.PATIENT),
                reads(ResourceKind.CONFORMANCE), subscriptions(), operations(GatewayOperation.VALIDATE)));
        // The operator may ask for clinical records by id (and is answered as if they were absent), never search them.
        PERMISSIONS.put(Requester.Kind.OPERATOR, permissions(
                byId(ResourceKind.SHARED_RECORD), byId(ResourceKind.DOCUMENT), reads(ResourceKind.PATIENT),
                reads(ResourceKind.CONSENT), reads(ResourceKind.ACCESS_LOG), reads(ResourceKind.CONFORMANCE),
                operations(GatewayOperation.VALIDATE, GatewayOperation.CONSENT_CHECK,
                        GatewayOperation.EMERGENCY_REVIEWS, GatewayOperation.REVIEW_EMERGENCY,
                        GatewayOperation.RETENTION, GatewayOperation.ACCESS_SIGNALS, GatewayOperation.CONSENT_STATISTICS)));
    }

    private final PolicySettings settings;
    private final ConsentEngine consents;

    public AccessPolicy(PolicySettings settings) {
        this.settings = settings;
        this.consents = new ConsentEngine(settings);
    }

    public PolicySettings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ the request

    /** Whether this kind of request may be made at all, before anything is read. */
    public RequestDecision request(RequestFacts request) {
        Optional<Reason> notOffered = notOffered(request);
        if (request.requester().isEmpty()) {
            if (request.interaction() == Interaction.CAPABILITIES) {
                return RequestDecision.by(Reason.REQUEST_ALLOWED);
            }
            return RequestDecision.by(notOffered.orElse(Reason.ANONYMOUS));
        }
        if (notOffered.isPresent()) {
            return RequestDecision.by(notOffered.get());
        }
        if (request.interaction() == Interaction.CAPABILITIES) {
            return RequestDecision.by(Reason.REQUEST_ALLOWED);
        }
        Requester requester = request.requester().get();
        if (!request.purpose().mayBeDeclaredBy(requester.kind())) {
            return new RequestDecision(Reason.PURPOSE_NOT_ALLOWED, List.of(), request.purpose().code());
        }
        Permission asked = new Permission(request.interaction(), request.kind(), request.operation().orElse(null));
        if (request.interaction() == Interaction.OPERATION) {
            asked = new Permission(Interaction.OPERATION, ResourceKind.NONE, request.operation().orElseThrow());
        }
        if (!PERMISSIONS.get(requester.kind()).contains(asked)) {
            return RequestDecision.by(whyNot(requester, asked));
        }
        return scopesAllowing(request);
    }

    /** Interactions, operations and shapes of request the gateway offers to nobody. */
    private static Optional<Reason> notOffered(RequestFacts request) {
        Interaction interaction = request.interaction();
        ResourceKind kind = request.kind();
        switch (interaction) {
            case BATCH:
                return Optional.of(Reason.BATCH_NOT_OFFERED);
            case HISTORY:
                return Optional.of(Reason.HISTORY_NOT_OFFERED);
            case PATCH:
                return Optional.of(Reason.WRITE_NOT_OFFERED);
            case DELETE:
                // a subscription is the subscriber's own setting, so it may be withdrawn; nothing else is deleted
                if (kind != ResourceKind.SUBSCRIPTION) {
                    return Optional.of(kind == ResourceKind.NONE ? Reason.TYPE_NOT_SERVED : Reason.WRITE_NOT_OFFERED);
                }
                return request.conditional() ? Optional.of(Reason.CONDITIONAL_NOT_OFFERED) : Optional.empty();
            case OPERATION:
                return request.operation().isEmpty() || request.instanceLevel()
                        ? Optional.of(Reason.OPERATION_NOT_OFFERED) : Optional.empty();
            case CREATE:
            case UPDATE:
                if (kind != ResourceKind.CONSENT && kind != ResourceKind.SUBSCRIPTION) {
                    return Optional.of(kind == ResourceKind.NONE ? Reason.TYPE_NOT_SERVED : Reason.WRITE_NOT_OFFERED);
                }
                return request.conditional() ? Optional.of(Reason.CONDITIONAL_NOT_OFFERED) : Optional.empty();
            case SEARCH:
                if (kind == ResourceKind.DOCUMENT) {
                    return Optional.of(Reason.SEARCH_DOCUMENTS_BY_INDEX);
                }
                return kind == ResourceKind.NONE ? Optional.of(Reason.TYPE_NOT_SERVED) : Optional.empty();
            case READ:
            case VREAD:
            case PAGE:
                return kind == ResourceKind.NONE ? Optional.of(Reason.TYPE_NOT_SERVED) : Optional.empty();
            default:
                return Optional.empty();
        }
    }

    /** The most telling reason a permission the table does not grant is refused. */
    private static Reason whyNot(Requester requester, Permission asked) {
        if (asked.operation() != null) {
            return switch (asked.operation()) {
                case SUBMIT, CANCEL_DOCUMENT, RESTORE_DOCUMENT, CHANGE_DOCUMENT -> Reason.SUBMIT_BY_INSTITUTIONS;
                case CONSENT_CHECK -> Reason.CHECK_NOT_ALLOWED;
                case RETENTION, ACCESS_SIGNALS, CONSENT_STATISTICS -> Reason.OVERSIGHT_BY_OPERATOR;
                default -> Reason.CALLER_NOT_ALLOWED;
            };
        }
        if (asked.kind() == ResourceKind.SUBSCRIPTION) {
            return Reason.SUBSCRIPTIONS_BY_INSURERS;
        }
        if (asked.kind() == ResourceKind.ACCESS_LOG) {
            return Reason.ACCESS_LOG_READERS;
        }
        if (asked.kind() == ResourceKind.CONSENT && (asked.interaction() == CREATE || asked.interaction() == UPDATE)) {
            return Reason.CONSENT_WRITERS;
        }
        if (asked.kind().clinical() && requester.kind() == Requester.Kind.OPERATOR) {
            return Reason.OPERATOR_NO_CLINICAL;
        }
        return Reason.CALLER_NOT_ALLOWED;
    }

    /** The token's SMART scopes must grant the interaction on the type; a query-constrained scope grants only matches. */
    private static RequestDecision scopesAllowing(RequestFacts request) {
        Optional<ScopeNeed> need = ScopeNeed.of(request);
        if (need.isEmpty()) {
            return RequestDecision.by(Reason.REQUEST_ALLOWED);
        }
        List<Map<String, String>> allowing = request.scopes().allowing(need.get().type(), need.get().letter());
        if (allowing.isEmpty()) {
            String context = request.requester().get().kind() == Requester.Kind.PATIENT ? "patient/" : "system/";
            return new RequestDecision(Reason.SCOPE_NOT_GRANTED, List.of(), need.get().letter().name().toLowerCase()
                    + " of " + need.get().type() + " needs a scope such as " + context + need.get().type() + "." + need.get().letter().letter());
        }
        if (allowing.stream().anyMatch(Map::isEmpty)) {
            return RequestDecision.by(Reason.REQUEST_ALLOWED);
        }
        return new RequestDecision(Reason.REQUEST_ALLOWED, allowing, "");
    }

    /** Which scope letter on which type a request needs; none for capabilities and $validate. */
    private record ScopeNeed(String type, SmartScopes.Letter letter) {
        static Optional<ScopeNeed> of(RequestFacts request) {
            String type = request.resourceType();
            return switch (request.interaction()) {
                case READ, VREAD -> Optional.of(new ScopeNeed(type, SmartScopes.Letter.READ));
                case SEARCH, PAGE -> Optional.of(new ScopeNeed(type, SmartScopes.Letter.SEARCH));
                case CREATE -> Optional.of(new ScopeNeed(type, SmartScopes.Letter.CREATE));
                case UPDATE, PATCH -> Optional.of(new ScopeNeed(type, SmartScopes.Letter.UPDATE));
                case DELETE -> Optional.of(new ScopeNeed(type, SmartScopes.Letter.DELETE));
                case OPERATION -> switch (request.operation().orElseThrow()) {
                    // A document's lifecycle is part of submitting it: the scope that lets an EMR submit.
                    case SUBMIT, CANCEL_DOCUMENT, RESTORE_DOCUMENT, CHANGE_DOCUMENT ->
                            Optional.of(new ScopeNeed("Bundle", SmartScopes.Letter.CREATE));
                    case CONSENT_CHECK -> Optional.of(new ScopeNeed("Consent", SmartScopes.Letter.READ));
                    case CONSENT_CODE -> Optional.of(new ScopeNeed("Consent", SmartScopes.Letter.CREATE));
                    case REFERRAL_DESTINATIONS -> Optional.of(new ScopeNeed("Consent", SmartScopes.Letter.READ));
                    case DESTINATION_CHECK -> Optional.of(new ScopeNeed("Organization", SmartScopes.Letter.READ));
                    // opening a window leads to reading the patient; reviews read and annotate the access log
                    case BREAK_GLASS -> Optional.of(new ScopeNeed("Patient", SmartScopes.Letter.READ));
                    case EMERGENCY_REVIEWS -> Optional.of(new ScopeNeed("AuditEvent", SmartScopes.Letter.READ));
                    case REVIEW_EMERGENCY -> Optional.of(new ScopeNeed("AuditEvent", SmartScopes.Letter.UPDATE));
                    // Expunging is deleting, whether it runs or only reports what it would remove.
                    case RETENTION -> Optional.of(new ScopeNeed("Bundle", SmartScopes.Letter.DELETE));
                    case ACCESS_SIGNALS -> Optional.of(new ScopeNeed("AuditEvent", SmartScopes.Letter.READ));
                    case CONSENT_STATISTICS -> Optional.of(new ScopeNeed("Consent", SmartScopes.Letter.READ));
                    case INSTITUTION_SEARCH -> Optional.of(new ScopeNeed("Organization", SmartScopes.Letter.SEARCH));
                    case VALIDATE -> Optional.empty(); // stores and reveals nothing; it needs an identity only
                };
                default -> Optional.empty();
            };
        }
    }

    /** Why a search parameter may not be used; empty when it may. */
    public Optional<String> refusesParameter(String resourceType, String parameter) {
        return SearchParameters.refusal(resourceType, parameter);
    }

    // ------------------------------------------------------------------ clinical records

    /** Whether this request may read this clinical record, and why. */
    public Decision readRecord(AccessRequest request, RecordFacts record, Collection<PatientConsent> patientConsents, Instant now) {
        return consents.decide(request, record, patientConsents, now);
    }

    /** Everything this request may see of the patient's clinical records now, as labels. */
    public VisibleSet visibleSet(AccessRequest request, Collection<PatientConsent> patientConsents, Instant now) {
        return consents.visibleSet(request, patientConsents, now);
    }

    /** Only the current version of any record is served: an earlier one is answered as if absent. */
    public Decision readVersion(boolean current) {
        return Decision.by(current ? Reason.REQUEST_ALLOWED : Reason.OLD_VERSION);
    }

    // ------------------------------------------------------------------ insurers

    /**
     * How much of a checkup report about to be shown this reader receives: an insurer as much as the
     * report's label grants it ({@link CheckupDelivery#insurerView}); every other reader whole (their
     * access is decided by {@link #readRecord}).
     */
    public InsurerView checkupView(Requester requester, Set<Label> recordLabels) {
        if (!(requester instanceof Requester.Insurer insurer)) {
            return InsurerView.WHOLE;
        }
        for (InsurerView view : List.of(InsurerView.WHOLE, InsurerView.SPECIFIED_ITEMS)) {
            if (recordLabels.contains(new Label.InsurerDelivery(insurer.insurerNumber(), view))) {
                return view;
            }
        }
        return InsurerView.NOTHING;
    }

    /** Whether a result coded so is shown in this view of a checkup report. */
    public boolean showsResult(InsurerView view, String system, String code) {
        return switch (view) {
            case WHOLE -> true;
            case SPECIFIED_ITEMS -> SpecifiedCheckupItems.contains(system, code);
            case NOTHING -> false;
        };
    }

    /**
     * What a search of shared records that names no patient may see: only an insurer's search of its
     * members' checkup reports through their index ({@code DocumentReference}), by the labels that name
     * the insurer, so the query itself is narrowed to its members. Empty: name one patient.
     */
    public Optional<VisibleSet> acrossPatients(Requester requester, String resourceType) {
        if (requester instanceof Requester.Insurer insurer && "DocumentReference".equals(resourceType)) {
            return Optional.of(new VisibleSet(ConsentEngine.insurerLabels(insurer.insurerNumber()),
                    Map.of(ShareCategory.CHECKUP_REPORT, Decision.by(Reason.INSURER_MEMBERS_REPORTS))));
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ emergency reads (break-glass)

    /**
     * Whether an institution may open an emergency window for a patient: it needs the emergency-access
     * role its administrator grants, a coded reason and a text (as the national service asks a privilege
     * and a record of each emergency view).
     */
    public Decision openEmergencyWindow(Requester requester, boolean emergencyRole, Optional<EmergencyReason> reason, String text) {
        if (requester.kind() != Requester.Kind.INSTITUTION) {
            return Decision.by(Reason.CALLER_NOT_ALLOWED);
        }
        if (!settings.emergencyAccessEnabled()) {
            return Decision.by(Reason.EMERGENCY_DISABLED);
        }
        if (!emergencyRole) {
            return Decision.by(Reason.EMERGENCY_ROLE_MISSING);
        }
        if (reason.isEmpty() || text == null || text.isBlank()) {
            return Decision.by(Reason.BREAK_GLASS_REASON_NEEDED);
        }
        return Decision.by(Reason.BREAK_GLASS_OPENED);
    }

    /** The window an institution opens now for a patient: as long as the deployment sets (2 hours by default). */
    public EmergencyWindow emergencyWindow(String institution, String patient, EmergencyReason reason, String text, Instant now) {
        return new EmergencyWindow(institution, patient, reason, text, now, now.plus(settings.emergencyWindow()));
    }

    /**
     * Whether a read declaring the emergency purpose may go on to the consent rules, for one patient:
     * the reader holds the emergency-access role and an open window it opened for that patient.
     *
     * @param window the latest window this institution opened for the patient, if any
     */
    public Decision emergencyRead(Requester requester, boolean emergencyRole, Optional<EmergencyWindow> window, Instant now) {
        if (requester.kind() != Requester.Kind.INSTITUTION) {
            return Decision.by(Reason.PURPOSE_NOT_ALLOWED);
        }
        if (!settings.emergencyAccessEnabled()) {
            return Decision.by(Reason.EMERGENCY_DISABLED);
        }
        if (!emergencyRole) {
            return Decision.by(Reason.EMERGENCY_ROLE_MISSING);
        }
        if (window.isEmpty() || !window.get().institution().equals(requester.id())) {
            return Decision.by(Reason.EMERGENCY_REASON_MISSING);
        }
        return Decision.by(window.get().openAt(now) ? Reason.EMERGENCY : Reason.EMERGENCY_WINDOW_CLOSED);
    }

    /** Who works through the review queue of emergency windows: the operator all, an institution's privacy officer its own. */
    public SearchScope emergencyReviews(Requester requester, boolean privacyOfficer) {
        return switch (requester.kind()) {
            case OPERATOR -> SearchScope.of(Reason.EMERGENCY_REVIEWER, SearchScope.Narrowing.NONE, "");
            case INSTITUTION -> privacyOfficer
                    ? SearchScope.of(Reason.EMERGENCY_REVIEWER, SearchScope.Narrowing.OPENED_BY, requester.id())
                    : SearchScope.refused(Reason.NOT_AN_EMERGENCY_REVIEWER);
            default -> SearchScope.refused(Reason.NOT_AN_EMERGENCY_REVIEWER);
        };
    }

    // ------------------------------------------------------------------ patients

    /** How a Patient is being reached. */
    public enum PatientAccess {
        /** {@code Patient/[id]}, or a search other than by member ID. */
        BY_ID_OR_SEARCH,
        /** A search by exactly one insurance member ID, as at the card reader's qualification check. */
        MEMBER_ID_LOOKUP
    }

    /** Whether this caller may be shown this Patient. */
    public Decision readPatient(Requester requester, PatientFacts patient, PatientAccess access) {
        return switch (requester.kind()) {
            case PATIENT -> Decision.by(requester.id().equals(patient.patientId()) ? Reason.PATIENT_SELF : Reason.OTHER_PATIENT);
            case INSTITUTION -> {
                if (access == PatientAccess.MEMBER_ID_LOOKUP) {
                    yield Decision.by(Reason.CARD_READER_LOOKUP);
                }
                yield Decision.by(patient.relatedInstitutions().contains(requester.id())
                        ? Reason.RELATED_INSTITUTION : Reason.UNRELATED_INSTITUTION);
            }
            case INSURER -> Decision.by(patient.insurer().map(requester.id()::equals).orElse(false)
                    ? Reason.INSURER_MEMBER : Reason.NOT_A_MEMBER);
            case OPERATOR -> Decision.by(access == PatientAccess.MEMBER_ID_LOOKUP ? Reason.ENROLMENT_LOOKUP : Reason.NO_PATIENT_DIRECTORY);
        };
    }

    /**
     * How a search of Patients is narrowed.
     *
     * @param memberId the insurance member ID, when the search is by exactly one and nothing else
     */
    public SearchScope patientSearch(Requester requester, Optional<String> memberId) {
        return switch (requester.kind()) {
            case PATIENT -> SearchScope.of(Reason.PATIENT_SELF, SearchScope.Narrowing.PATIENT_ITSELF, requester.id());
            case INSTITUTION -> memberId
                    .map(id -> SearchScope.of(Reason.CARD_READER_LOOKUP, SearchScope.Narrowing.MEMBER_ID, id))
                    .orElseGet(() -> SearchScope.of(Reason.RELATED_INSTITUTION, SearchScope.Narrowing.RELATED_TO, requester.id()));
            case INSURER -> memberId
                    .map(id -> id.startsWith(requester.id() + ":")
                            ? SearchScope.of(Reason.INSURER_MEMBER, SearchScope.Narrowing.MEMBER_ID, id)
                            // another insurer's member: nothing, not even whether they exist
                            : SearchScope.of(Reason.INSURER_MEMBER, SearchScope.Narrowing.NOTHING, id))
                    .orElseGet(() -> SearchScope.refused(Reason.NO_PATIENT_DIRECTORY));
            case OPERATOR -> memberId
                    .map(id -> SearchScope.of(Reason.ENROLMENT_LOOKUP, SearchScope.Narrowing.MEMBER_ID, id))
                    .orElseGet(() -> SearchScope.refused(Reason.NO_PATIENT_DIRECTORY));
        };
    }

    /** How much of a Patient this caller is shown (once {@link #readPatient} permits it). */
    public PatientView patientView(Requester requester) {
        return switch (requester.kind()) {
            case PATIENT -> PatientView.WHOLE;
            case INSTITUTION -> PatientView.WITHOUT_OTHER_INSTITUTIONS;
            case INSURER -> PatientView.WITHOUT_INSTITUTIONS;
            case OPERATOR -> PatientView.IDENTIFIERS_ONLY;
        };
    }

    // ------------------------------------------------------------------ consents

    /** Whether this caller may read this stored Consent. */
    public Decision readConsent(Requester requester, ConsentRecordFacts consent) {
        return switch (requester.kind()) {
            case PATIENT -> Decision.by(requester.id().equals(consent.patientId()) ? Reason.PATIENT_SELF : Reason.OTHER_PATIENT);
            case INSTITUTION -> Decision.by(consent.recorder().recordedBy(requester.id()) ? Reason.CONSENT_RECORDER : Reason.NOT_RECORDER);
            case OPERATOR -> Decision.by(Reason.OPERATOR_METADATA);
            case INSURER -> Decision.by(Reason.CALLER_NOT_ALLOWED);
        };
    }

    /** How a search of Consents is narrowed. */
    public SearchScope consentSearch(Requester requester) {
        return switch (requester.kind()) {
            case PATIENT -> SearchScope.of(Reason.PATIENT_SELF, SearchScope.Narrowing.PATIENT, requester.id());
            case INSTITUTION -> SearchScope.of(Reason.CONSENT_RECORDER, SearchScope.Narrowing.RECORDED_BY, requester.id());
            case OPERATOR -> SearchScope.of(Reason.OPERATOR_METADATA, SearchScope.Narrowing.NONE, "");
            case INSURER -> SearchScope.refused(Reason.CALLER_NOT_ALLOWED);
        };
    }

    /**
     * Whether a new consent may be recorded, and with which provenance. The patient records their
     * own; an institution records one naming itself as the viewer with the patient's one-time code
     * (as the national service's card reader proves the patient's presence), or, as a referral
     * letter's author, the patient's consent to that letter's destination for referral letters.
     */
    public ConsentWriteDecision recordConsent(Requester requester, ConsentWrite write) {
        switch (requester.kind()) {
            case PATIENT:
                return requester.id().equals(write.patientId())
                        ? ConsentWriteDecision.permit(Reason.CONSENT_BY_PATIENT, ConsentRecorder.PATIENT)
                        : ConsentWriteDecision.deny(Reason.NOT_YOUR_PATIENT);
            case INSTITUTION:
                String code = requester.id();
                PatientConsent consent = write.consent();
                if (consent.viewer().map(code::equals).orElse(false)) {
                    return write.codeVerified() || !settings.consentProofRequired()
                            ? ConsentWriteDecision.permit(Reason.CONSENT_AT_RECEPTION, ConsentRecorder.institution(ConsentRecorder.Basis.RECEPTION, code))
                            : ConsentWriteDecision.deny(Reason.CONSENT_PROOF_MISSING);
                }
                boolean forLetterDestination = consent.effect() == Effect.PERMIT
                        && consent.categories().equals(Set.of(ShareCategory.REFERRAL_LETTER))
                        && consent.viewer().map(write.letterDestinations()::contains).orElse(false);
                return forLetterDestination
                        ? ConsentWriteDecision.permit(Reason.CONSENT_FOR_LETTER_DESTINATION,
                        ConsentRecorder.institution(ConsentRecorder.Basis.LETTER_DESTINATION, code))
                        : ConsentWriteDecision.deny(Reason.INSTITUTION_CONSENTS_FOR_ITSELF);
            default:
                return ConsentWriteDecision.deny(Reason.CONSENT_WRITERS);
        }
    }

    /**
     * Whether a stored consent may be changed from {@code before} to {@code after}: only revocation
     * (status inactive, terms unchanged); by the patient, or by the institution that recorded it.
     */
    public Decision reviseConsent(Requester requester, ConsentRecordFacts stored, PatientConsent before, PatientConsent after) {
        if (after.active() || !before.sameTermsAs(after)) {
            return Decision.by(Reason.NOT_A_REVOCATION);
        }
        return switch (requester.kind()) {
            case PATIENT -> Decision.by(requester.id().equals(stored.patientId()) ? Reason.REVOCATION_BY_PATIENT : Reason.NOT_YOUR_PATIENT);
            case INSTITUTION -> Decision.by(stored.recorder().recordedBy(requester.id())
                    ? Reason.REVOCATION_BY_RECORDER : Reason.ONLY_THE_PATIENT_REVOKES);
            default -> Decision.by(Reason.CONSENT_WRITERS);
        };
    }

    /** Whether this caller may ask what {@code viewer} may see of {@code patientId}. */
    public Decision consentCheck(Requester requester, String patientId, String viewer) {
        boolean allowed = switch (requester.kind()) {
            case PATIENT -> requester.id().equals(patientId);
            case INSTITUTION -> requester.id().equals(viewer);
            case OPERATOR -> true;
            case INSURER -> false;
        };
        return Decision.by(allowed ? Reason.CHECK_ALLOWED : Reason.CHECK_NOT_ALLOWED);
    }

    /** Whether this caller may have a one-time consent code issued for {@code patientId}. */
    public Decision consentCode(Requester requester, String patientId) {
        return Decision.by(requester.kind() == Requester.Kind.PATIENT && requester.id().equals(patientId)
                ? Reason.CODE_FOR_SELF : Reason.NOT_YOUR_PATIENT);
    }

    /** Whether this caller may learn the destinations of the referral letters about {@code patientId}. */
    public Decision referralDestinations(Requester requester, String patientId) {
        return Decision.by(requester.kind() == Requester.Kind.PATIENT && requester.id().equals(patientId)
                ? Reason.OWN_REFERRAL_DESTINATIONS : Reason.NOT_YOUR_PATIENT);
    }

    /** Whether this caller may cancel, restore or change a document {@code authorInstitution} submitted. */
    public Decision documentLifecycle(Requester requester, String authorInstitution) {
        return Decision.by(requester.kind() == Requester.Kind.INSTITUTION && requester.id().equals(authorInstitution)
                ? Reason.DOCUMENT_AUTHOR_ACTS : Reason.NOT_THE_DOCUMENTS_AUTHOR);
    }

    // ------------------------------------------------------------------ the access log

    /** Whether this caller may read an access log entry about {@code patientId}. */
    public Decision readAccessLogEntry(Requester requester, String patientId) {
        return switch (requester.kind()) {
            case PATIENT -> Decision.by(requester.id().equals(patientId) ? Reason.PATIENT_SELF : Reason.OTHER_PATIENT);
            case OPERATOR -> Decision.by(Reason.OPERATOR_METADATA);
            default -> Decision.by(Reason.ACCESS_LOG_READERS);
        };
    }

    /** How a search of the access log is narrowed: the patient's own entries, whatever they name; the operator's, as asked. */
    public SearchScope accessLogSearch(Requester requester) {
        return switch (requester.kind()) {
            case PATIENT -> SearchScope.of(Reason.PATIENT_SELF, SearchScope.Narrowing.PATIENT, requester.id());
            case OPERATOR -> SearchScope.of(Reason.OPERATOR_METADATA, SearchScope.Narrowing.NONE, "");
            default -> SearchScope.refused(Reason.ACCESS_LOG_READERS);
        };
    }

    // ------------------------------------------------------------------ subscriptions

    /** Whether this caller may read, change or delete a subscription {@code subscriber} (an insurer number) created. */
    public Decision subscription(Requester requester, String subscriber) {
        return Decision.by(requester.kind() == Requester.Kind.INSURER && requester.id().equals(subscriber)
                ? Reason.SUBSCRIPTION_OWNER : Reason.NOT_SUBSCRIPTION_OWNER);
    }

    /** How a search of subscriptions is narrowed: an insurer's own; nobody else has any. */
    public SearchScope subscriptionSearch(Requester requester) {
        return requester.kind() == Requester.Kind.INSURER
                ? SearchScope.of(Reason.SUBSCRIPTION_OWNER, SearchScope.Narrowing.SUBSCRIBED_BY, requester.id())
                : SearchScope.refused(Reason.SUBSCRIPTIONS_BY_INSURERS);
    }

    /**
     * Whether a subscriber is told that this newly stored checkup report index arrived: exactly when the
     * subscriber's since-query ({@link #acrossPatients}) would return it and the report's view for it is not
     * {@link InsurerView#NOTHING}, so the notification never says more than the query the subscriber then makes.
     *
     * @param indexLabels the labels of the report's {@code DocumentReference}
     */
    public Decision notifiesOfReport(Requester subscriber, Set<Label> indexLabels) {
        boolean listed = acrossPatients(subscriber, "DocumentReference").map(v -> v.admits(indexLabels)).orElse(false);
        return Decision.by(listed && checkupView(subscriber, indexLabels) != InsurerView.NOTHING
                ? Reason.REPORT_NOTIFIED : Reason.REPORT_NOT_NOTIFIED);
    }

    // ------------------------------------------------------------------ pages and the log

    /** A page of search results is read only by the caller whose search made it (others: as if it did not exist). */
    public Decision readPage(Requester requester, Requester searchOwner) {
        return Decision.by(requester.sameAs(searchOwner) ? Reason.REQUEST_ALLOWED : Reason.PAGE_OF_ANOTHER);
    }

    /**
     * Whether an access goes into the patient's access log: every access by anyone but the patient,
     * except an institution reading a record it submitted itself.
     *
     * @param recordAuthor the institution that submitted the record read; empty for searches and non-clinical records
     */
    public boolean audited(Requester requester, Optional<String> recordAuthor) {
        if (requester.kind() == Requester.Kind.PATIENT) {
            return false;
        }
        return !(requester.kind() == Requester.Kind.INSTITUTION && recordAuthor.map(requester.id()::equals).orElse(false));
    }

    // ------------------------------------------------------------------ the permission table

    private static Set<Permission> permissions(Set<Permission>... groups) {
        Set<Permission> all = new java.util.HashSet<>();
        for (Set<Permission> group : groups) {
            all.addAll(group);
        }
        return Set.copyOf(all);
    }

    /** Read by id, read the current version, search, and page through the search. */
    private static Set<Permission> reads(ResourceKind kind) {
        return Set.of(new Permission(READ, kind, null), new Permission(VREAD, kind, null),
                new Permission(SEARCH, kind, null), new Permission(PAGE, kind, null));
    }

    /** Read by id only (and its current version). */
    private static Set<Permission> byId(ResourceKind kind) {
        return Set.of(new Permission(READ, kind, null), new Permission(VREAD, kind, null));
    }

    /** Create, and update (which for a Consent can only revoke it). */
    private static Set<Permission> writes(ResourceKind kind) {
        return Set.of(new Permission(CREATE, kind, null), new Permission(UPDATE, kind, null));
    }

    /** An insurer's own subscriptions: create, read, search, update, delete (no versions, no pages: a handful each). */
    private static Set<Permission> subscriptions() {
        ResourceKind kind = ResourceKind.SUBSCRIPTION;
        return Set.of(new Permission(CREATE, kind, null), new Permission(READ, kind, null), new Permission(SEARCH, kind, null),
                new Permission(UPDATE, kind, null), new Permission(DELETE, kind, null));
    }

    private static Set<Permission> operations(GatewayOperation... operations) {
        Set<Permission> all = new java.util.HashSet<>();
        for (GatewayOperation operation : EnumSet.copyOf(List.of(operations))) {
            all.add(new Permission(Interaction.OPERATION, ResourceKind.NONE, operation));
        }
        return all;
    }
}
