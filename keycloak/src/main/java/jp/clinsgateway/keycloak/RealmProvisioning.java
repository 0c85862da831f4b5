package jp.clinsgateway.keycloak;

import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.ProtocolMappersResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.admin.client.resource.UserResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import org.keycloak.representations.idm.RoleRepresentation;
import org.keycloak.representations.idm.UserRepresentation;
import org.keycloak.representations.userprofile.config.UPAttribute;
import org.keycloak.representations.userprofile.config.UPAttributePermissions;
import org.keycloak.representations.userprofile.config.UPConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Makes a Keycloak realm match a {@link RealmDescription}, through the admin REST API. Idempotent and
 * convergent: run it again after changing the description (or against a realm someone edited by
 * hand) and the realm matches again; users keep their ids, sessions and patient links.
 *
 * <p>What the gateway reads from the tokens this realm issues ({@code AccessTokens} in fhir-server):
 * {@code aud} naming the gateway (its own client, with which it introspects tokens) and its FHIR base URLs, {@code institution_code} and {@code institution_name} (hard-coded per EMR
 * client), {@code insurer_number} and {@code insurer_name} (per insurer client), the operator realm role in {@code realm_access},
 * {@code patient} and {@code fhirUser} (the patient account's link, under {@code launch/patient}
 * and {@code fhirUser}), and {@code purpose_of_use} when an institution asks for {@code purpose/ETREAT}.
 *
 * <p>Confidential clients authenticate as the description declares ({@link ClientAuthenticatorSettings}):
 * Keycloak's signed-JWT authenticator with the client's JWK Set URL or registered keys, RS384 or ES384
 * required, assertions living at most five minutes (plus clock tolerance); or a secret (development).
 */
public final class RealmProvisioning {

    /** User attributes the realm's user profile must allow (admin-managed, invisible to the user). */
    public static final String MEMBER_ID = "insurance_member_id";
    public static final String PATIENT = "patient";
    public static final String FHIR_USER = "fhirUser";

    static final String AUDIENCE_SCOPE = "gateway-audience";
    /** Where the gateway serves FHIR under each root it is reached at. */
    static final String FHIR_PATH = "/fhir";
    private static final String FHIR_BASE_AUDIENCE = "FHIR base audience ";
    static final String EMERGENCY_SCOPE = "purpose/ETREAT";
    /** Realm roles an institution's administrator grants (the gateway reads them from realm_access.roles). */
    static final String EMERGENCY_ACCESS_ROLE = "emergency-access";
    static final String PRIVACY_OFFICER_ROLE = "privacy-officer";
    private static final String OIDC = "openid-connect";

    private final Keycloak admin;

    public RealmProvisioning(Keycloak admin) {
        this.admin = admin;
    }

    /**
     * For a portal served by the gateway itself: its FHIR base under each root is {@code [root]/fhir}.
     *
     * @param portalRoots the root URLs the gateway (and its portal) is reached at, e.g.
     *                    {@code http://localhost:8080}: the portal client's redirect URIs and web origins
     */
    public void provision(RealmDescription description, List<String> portalRoots) {
        provision(description, portalRoots, portalRoots.stream().map(root -> strip(root) + FHIR_PATH).toList());
    }

    /**
     * @param portalRoots the root URLs the portal is served from: the portal client's redirect URIs and web origins
     *                    (the gateway needs the same list as {@code gateway.identity.web-origins})
     * @param fhirBases   the gateway's FHIR base URLs: every token names them in {@code aud} beside the gateway's client,
     *                    so a token says which resource server it is for (the gateway's authorize endpoint accepts no other {@code aud})
     */
    public void provision(RealmDescription description, List<String> portalRoots, List<String> fhirBases) {
        RealmResource realm = ensureRealm(description);
        ensureUserProfile(realm);
        ensureRole(realm, description.operatorRole(), "The service operator: consent and audit metadata, patient enrolment; no clinical content");
        ensureRole(realm, EMERGENCY_ACCESS_ROLE, "May open emergency windows ($break-glass) and read in them; granted by the institution's administrator");
        ensureRole(realm, PRIVACY_OFFICER_ROLE, "Reviews the institution's emergency reads ($emergency-reviews, $review-emergency)");
        ensureGatewayClient(realm, description);
        Map<String, String> scopeIds = ensureClientScopes(realm, description, fhirBases.stream().map(RealmProvisioning::strip).toList());

        RealmDescription.Portal portal = description.portal();
        List<String> redirects = portalRoots.stream().flatMap(root -> portal.redirectPaths().stream().map(path -> strip(root) + path)).toList();
        ClientResource portalClient = ensureClient(realm, portal.clientId(), client -> {
            client.setName(portal.name());
            client.setPublicClient(true);
            client.setStandardFlowEnabled(true);
            client.setServiceAccountsEnabled(false);
            client.setRedirectUris(redirects);
            client.setWebOrigins(portalRoots.stream().map(RealmProvisioning::strip).toList());
            client.getAttributes().put("pkce.code.challenge.method", "S256");
            client.getAttributes().put("post.logout.redirect.uris", String.join("##", redirects));
            // A patient stays signed in by refreshing (online_access), not by long-lived tokens.
            client.getAttributes().put("access.token.lifespan", Integer.toString(portal.accessTokenLifespanSeconds() == null
                    ? description.tokenLifespanSeconds() : portal.accessTokenLifespanSeconds()));
        });
        ensureScopes(portalClient, scopeIds, List.of("basic", AUDIENCE_SCOPE, "profile", "web-origins"), description.scopes().patient());

        for (RealmDescription.Institution institution : description.institutions()) {
            ClientResource client = ensureConfidentialClient(realm, institution);
            ensureMapper(client.getProtocolMappers(), hardcodedClaim("institution code", "institution_code", institution.code()));
            ensureMapper(client.getProtocolMappers(), hardcodedClaim("institution name", "institution_name", institution.name()));
            ensureScopes(client, scopeIds, List.of("basic", AUDIENCE_SCOPE, "roles"), description.scopes().institution());
            grantGatewayRoles(realm, client, institution.roles());
        }
        for (RealmDescription.Insurer insurer : description.insurers()) {
            ClientResource client = ensureConfidentialClient(realm, insurer);
            ensureMapper(client.getProtocolMappers(), hardcodedClaim("insurer number", "insurer_number", insurer.number()));
            ensureMapper(client.getProtocolMappers(), hardcodedClaim("insurer name", "insurer_name", insurer.name()));
            ensureScopes(client, scopeIds, List.of("basic", AUDIENCE_SCOPE),
                    description.scopes().insurer().stream().filter(s -> !s.equals(EMERGENCY_SCOPE)).toList());
        }
        RoleRepresentation operatorRole = realm.roles().get(description.operatorRole()).toRepresentation();
        for (RealmDescription.Operator operator : description.operators()) {
            ClientResource client = ensureConfidentialClient(realm, operator);
            ensureScopes(client, scopeIds, List.of("basic", AUDIENCE_SCOPE, "roles"),
                    description.scopes().operator().stream().filter(s -> !s.equals(EMERGENCY_SCOPE)).toList());
            String serviceAccount = client.getServiceAccountUser().getId();
            realm.users().get(serviceAccount).roles().realmLevel().add(List.of(operatorRole));
        }
        description.patients().forEach(patient -> ensurePatientAccount(realm, patient));
    }

    private RealmResource ensureRealm(RealmDescription description) {
        boolean exists = admin.realms().findAll().stream().anyMatch(r -> r.getRealm().equals(description.realm()));
        if (!exists) {
            RealmRepresentation created = new RealmRepresentation();
            created.setRealm(description.realm());
            created.setEnabled(true);
            admin.realms().create(created);
        }
        RealmResource realm = admin.realm(description.realm());
        RealmRepresentation settings = realm.toRepresentation();
        settings.setEnabled(true);
        settings.setDisplayName(description.displayName());
        settings.setAccessTokenLifespan(description.tokenLifespanSeconds());
        settings.setSslRequired("external"); // loopback without TLS for development; TLS for everyone else
        settings.setRegistrationAllowed(false); // patient accounts are enrolled, never self-registered
        settings.setBruteForceProtected(true);
        settings.setInternationalizationEnabled(true);
        settings.setSupportedLocales(Set.of("ja", "en"));
        settings.setDefaultLocale("ja");
        // Sign-in and sign-out pages in the portal's font and colours: a patient stays in one place they recognise.
        settings.setLoginTheme(PortalTheme.NAME);
        realm.update(settings);
        return realm;
    }

    /** The patient link and the member ID are set by administrators only; email is not required of patients. */
    private static void ensureUserProfile(RealmResource realm) {
        UPConfig profile = realm.users().userProfile().getConfiguration();
        boolean changed = false;
        for (String name : List.of(MEMBER_ID, PATIENT, FHIR_USER)) {
            if (profile.getAttribute(name) == null) {
                profile.addOrReplaceAttribute(new UPAttribute(name, new UPAttributePermissions(Set.of("admin"), Set.of("admin"))));
                changed = true;
            }
        }
        UPAttribute email = profile.getAttribute("email");
        if (email != null && email.getRequired() != null) {
            email.setRequired(null);
            changed = true;
        }
        if (changed) {
            realm.users().userProfile().update(profile);
        }
    }

    /** The gateway roles an institution's administrator granted, on its client's service account (in realm_access.roles). */
    private static void grantGatewayRoles(RealmResource realm, ClientResource client, List<String> roles) {
        if (roles.isEmpty()) {
            return;
        }
        List<RoleRepresentation> granted = roles.stream().map(r -> realm.roles().get(r).toRepresentation()).toList();
        realm.users().get(client.getServiceAccountUser().getId()).roles().realmLevel().add(granted);
    }

    private static void ensureRole(RealmResource realm, String name, String description) {
        if (realm.roles().list().stream().noneMatch(r -> r.getName().equals(name))) {
            realm.roles().create(new RoleRepresentation(name, description, false));
        }
    }

    /**
     * The gateway as a client of its own realm: never asks for tokens (no flow is enabled), but is the audience of every
     * token, so Keycloak answers its introspection requests (since 26.6.2 only for a client the token names in {@code aud}).
     */
    private static void ensureGatewayClient(RealmResource realm, RealmDescription description) {
        ClientResource gateway = ensureClient(realm, description.audience(), client -> {
            client.setName(description.displayName());
            client.setDescription("The FHIR gateway as resource server: the audience of every token; introspects them");
            client.setPublicClient(false);
            client.setClientAuthenticatorType("client-secret");
            client.setSecret(RealmDescription.secret(description.gatewaySecret()));
            client.setServiceAccountsEnabled(false);
            client.setStandardFlowEnabled(false);
        });
        ensureScopes(gateway, Map.of(), List.of(), List.of());
    }

    /** Every scope of the description as a client scope, plus the audience scope; answers their ids by name. */
    private static Map<String, String> ensureClientScopes(RealmResource realm, RealmDescription description, List<String> fhirBases) {
        List<String> names = new ArrayList<>(description.scopes().all());
        names.add(AUDIENCE_SCOPE);
        Map<String, String> ids = realm.clientScopes().findAll().stream()
                .collect(Collectors.toMap(ClientScopeRepresentation::getName, ClientScopeRepresentation::getId, (a, b) -> a, HashMap::new));
        for (String name : names) {
            if (!ids.containsKey(name)) {
                ClientScopeRepresentation scope = new ClientScopeRepresentation();
                scope.setName(name);
                scope.setProtocol(OIDC);
                scope.setAttributes(Map.of("include.in.token.scope", String.valueOf(!name.equals(AUDIENCE_SCOPE)),
                        "display.on.consent.screen", "false"));
                ids.put(name, created(realm.clientScopes().create(scope)));
            }
        }
        ProtocolMappersResource audience = realm.clientScopes().get(ids.get(AUDIENCE_SCOPE)).getProtocolMappers();
        ensureMapper(audience, mapper("gateway audience", "oidc-audience-mapper", Map.of("included.client.audience", description.audience(),
                "access.token.claim", "true", "id.token.claim", "false", "introspection.token.claim", "true")));
        for (String fhirBase : fhirBases) {
            ensureMapper(audience, mapper(FHIR_BASE_AUDIENCE + fhirBase, "oidc-audience-mapper", Map.of("included.custom.audience", fhirBase,
                    "access.token.claim", "true", "id.token.claim", "false", "introspection.token.claim", "true")));
        }
        audience.getMappers().stream()
                .filter(m -> m.getName().startsWith(FHIR_BASE_AUDIENCE) && !fhirBases.contains(m.getName().substring(FHIR_BASE_AUDIENCE.length())))
                .forEach(stale -> audience.delete(stale.getId()));
        if (ids.containsKey("launch/patient")) {
            ensureMapper(realm.clientScopes().get(ids.get("launch/patient")).getProtocolMappers(),
                    userAttribute("patient context", PATIENT, PATIENT, false));
        }
        if (ids.containsKey(FHIR_USER)) {
            ensureMapper(realm.clientScopes().get(ids.get(FHIR_USER)).getProtocolMappers(),
                    userAttribute("fhirUser", FHIR_USER, FHIR_USER, true));
        }
        if (ids.containsKey(EMERGENCY_SCOPE)) {
            ensureMapper(realm.clientScopes().get(ids.get(EMERGENCY_SCOPE)).getProtocolMappers(),
                    hardcodedClaim("emergency purpose", "purpose_of_use", "ETREAT"));
        }
        return ids;
    }

    /**
     * A client of the client credentials grant, authenticating as declared. A client that moves from a
     * secret to keys gets a new random secret nobody knows, so its old one cannot come back should someone
     * switch the authenticator back by hand.
     */
    private static ClientResource ensureConfidentialClient(RealmResource realm, RealmDescription.ConfidentialClient declared) {
        ClientAuthentication authentication = declared.authentication();
        boolean[] hadSecret = {false};
        ClientResource client = ensureClient(realm, declared.clientId(), settings -> {
            hadSecret[0] = settings.getId() != null && ClientAuthenticatorSettings.usesSecret(settings);
            settings.setName(declared.name());
            settings.setPublicClient(false);
            settings.setServiceAccountsEnabled(true);
            settings.setStandardFlowEnabled(false);
            ClientAuthenticatorSettings.apply(authentication, settings);
        });
        if (hadSecret[0] && authentication instanceof ClientAuthentication.PrivateKeyJwt) {
            client.generateNewSecret();
        }
        return client;
    }

    private static ClientResource ensureClient(RealmResource realm, String clientId, Consumer<ClientRepresentation> settings) {
        List<ClientRepresentation> found = realm.clients().findByClientId(clientId);
        ClientRepresentation client = found.isEmpty() ? new ClientRepresentation() : found.get(0);
        client.setClientId(clientId);
        client.setProtocol(OIDC);
        client.setEnabled(true);
        client.setImplicitFlowEnabled(false);
        client.setDirectAccessGrantsEnabled(false); // no passwords through third parties
        client.setConsentRequired(false);
        client.setFullScopeAllowed(true);
        if (client.getAttributes() == null) {
            client.setAttributes(new LinkedHashMap<>());
        }
        settings.accept(client);
        if (found.isEmpty()) {
            return realm.clients().get(created(realm.clients().create(client)));
        }
        ClientResource existing = realm.clients().get(client.getId());
        existing.update(client);
        return existing;
    }

    /** Exactly these default and optional scopes: others are taken away, so a narrowed description narrows the client. */
    private static void ensureScopes(ClientResource client, Map<String, String> scopeIds, List<String> defaults, List<String> optional) {
        Set<String> wantDefault = ids(scopeIds, defaults);
        Set<String> wantOptional = ids(scopeIds, optional);
        client.getDefaultClientScopes().stream().map(ClientScopeRepresentation::getId).filter(id -> !wantDefault.contains(id))
                .forEach(client::removeDefaultClientScope);
        client.getOptionalClientScopes().stream().map(ClientScopeRepresentation::getId).filter(id -> !wantOptional.contains(id))
                .forEach(client::removeOptionalClientScope);
        Set<String> hasDefault = client.getDefaultClientScopes().stream().map(ClientScopeRepresentation::getId).collect(Collectors.toSet());
        Set<String> hasOptional = client.getOptionalClientScopes().stream().map(ClientScopeRepresentation::getId).collect(Collectors.toSet());
        wantDefault.stream().filter(id -> !hasDefault.contains(id)).forEach(client::addDefaultClientScope);
        wantOptional.stream().filter(id -> !hasOptional.contains(id)).forEach(client::addOptionalClientScope);
    }

    private static Set<String> ids(Map<String, String> scopeIds, List<String> names) {
        return names.stream().map(name -> {
            String id = scopeIds.get(name);
            if (id == null) {
                throw new IllegalStateException("The realm has no client scope '" + name + "'");
            }
            return id;
        }).collect(Collectors.toSet());
    }

    private void ensurePatientAccount(RealmResource realm, RealmDescription.PatientAccount patient) {
        List<UserRepresentation> found = realm.users().searchByUsername(patient.username(), true);
        UserRepresentation user = found.isEmpty() ? new UserRepresentation() : realm.users().get(found.get(0).getId()).toRepresentation();
        Map<String, List<String>> attributes = user.getAttributes() == null ? new HashMap<>() : new HashMap<>(user.getAttributes());
        List<String> memberId = List.of(patient.memberId());
        if (!memberId.equals(attributes.get(MEMBER_ID))) {
            attributes.put(MEMBER_ID, memberId);
            attributes.remove(PATIENT); // another person: the link is made again
            attributes.remove(FHIR_USER);
        }
        user.setUsername(patient.username());
        user.setFirstName(patient.given());
        user.setLastName(patient.family());
        user.setEmail(patient.email());
        user.setEmailVerified(patient.email() != null);
        user.setEnabled(true);
        user.setAttributes(attributes);
        user.setRequiredActions(List.of());
        String id;
        if (found.isEmpty()) {
            id = created(realm.users().create(user));
        } else {
            id = user.getId();
            realm.users().get(id).update(user);
        }
        if (patient.password() != null && !patient.password().isEmpty()) {
            CredentialRepresentation password = new CredentialRepresentation();
            password.setType(CredentialRepresentation.PASSWORD);
            password.setValue(RealmDescription.secret(patient.password()));
            password.setTemporary(false);
            realm.users().get(id).resetPassword(password);
        }
    }

    /** Sets the gateway Patient an account belongs to: its tokens' {@code patient} and {@code fhirUser}. */
    static void linkAccount(UserResource account, String patientId) {
        UserRepresentation user = account.toRepresentation();
        Map<String, List<String>> attributes = new HashMap<>(user.getAttributes() == null ? Map.of() : user.getAttributes());
        if (List.of(patientId).equals(attributes.get(PATIENT))) {
            return;
        }
        attributes.put(PATIENT, List.of(patientId));
        attributes.put(FHIR_USER, List.of("Patient/" + patientId));
        user.setAttributes(attributes);
        account.update(user);
    }

    private static void ensureMapper(ProtocolMappersResource mappers, ProtocolMapperRepresentation wanted) {
        for (ProtocolMapperRepresentation existing : mappers.getMappers()) {
            if (existing.getName().equals(wanted.getName())) {
                if (!existing.getProtocolMapper().equals(wanted.getProtocolMapper()) || !existing.getConfig().equals(wanted.getConfig())) {
                    wanted.setId(existing.getId());
                    mappers.update(existing.getId(), wanted);
                }
                return;
            }
        }
        try (Response response = mappers.createMapper(wanted)) {
            if (response.getStatus() >= 300) {
                throw new IllegalStateException("Keycloak refused the mapper " + wanted.getName() + ": HTTP " + response.getStatus());
            }
        }
    }

    private static ProtocolMapperRepresentation hardcodedClaim(String name, String claim, String value) {
        return mapper(name, "oidc-hardcoded-claim-mapper", Map.of("claim.name", claim, "claim.value", value, "jsonType.label", "String",
                "access.token.claim", "true", "id.token.claim", "false", "userinfo.token.claim", "false",
                "introspection.token.claim", "true"));
    }

    private static ProtocolMapperRepresentation userAttribute(String name, String attribute, String claim, boolean inIdToken) {
        return mapper(name, "oidc-usermodel-attribute-mapper", Map.of("user.attribute", attribute, "claim.name", claim,
                "jsonType.label", "String", "access.token.claim", "true", "id.token.claim", String.valueOf(inIdToken),
                "userinfo.token.claim", String.valueOf(inIdToken), "introspection.token.claim", "true", "multivalued", "false"));
    }

    private static ProtocolMapperRepresentation mapper(String name, String type, Map<String, String> config) {
        ProtocolMapperRepresentation mapper = new ProtocolMapperRepresentation();
        mapper.setName(name);
        mapper.setProtocol(OIDC);
        mapper.setProtocolMapper(type);
        mapper.setConfig(new HashMap<>(config));
        return mapper;
    }

    private static String created(Response response) {
        try (response) {
            if (response.getStatus() != 201) {
                throw new IllegalStateException("Keycloak refused to create it: HTTP " + response.getStatus() + " "
                        + response.readEntity(String.class));
            }
            return CreatedResponseUtil.getCreatedId(response);
        }
    }

    private static String strip(String root) {
        return root.replaceFirst("/+$", "");
    }

}
