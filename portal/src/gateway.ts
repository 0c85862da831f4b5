// The portal's one way to the gateway: SMART App Launch (standalone patient launch, authorization code + PKCE)
// with the fhirclient library, and FHIR REST calls with the token it holds. Errors become plain kinds of problem.
import { expiresSoon } from './tokens';
import FHIR from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import type { Resource } from './fhir';
import { referralDestinations } from './records';
import { CategoryDecisions, decisionsOf } from './consents';

/** The portal's client in the gateway's realm (keycloak/src/main/resources/demo-realm.json, "portal"). */
export const CLIENT_ID = 'patient-portal';
/**
 * Read everything of one's own, write consents; the patient context and who one is; online_access: a refresh token
 * for as long as the sign-in session lasts (fhirclient refreshes only with it), so an active patient stays signed in.
 */
export const SCOPES = 'openid fhirUser launch/patient online_access patient/*.rs patient/Consent.cu';

// Keycloak refreshes a public client's token only when the request names the client.
FHIR.oauth2.settings.refreshTokenWithClientId = true;

export type Problem = 'session' | 'gateway' | 'denied' | 'sign-in' | 'not-linked' | 'other';

export class PortalError extends Error {
  constructor(readonly problem: Problem, cause?: unknown) {
    super(problem + (cause instanceof Error ? ': ' + cause.message : ''));
  }
}

/** The FHIR base the portal is served beside: [origin]/fhir. */
export function fhirBase(): string {
  return `${window.location.origin}/fhir`;
}

function portalUrl(): string {
  return `${window.location.origin}${import.meta.env.BASE_URL}`;
}

/** Whether this page load returns from the authorization server or continues a signed-in session. */
export function hasSession(): boolean {
  const query = new URLSearchParams(window.location.search);
  return query.has('code') || query.has('error') || sessionStorage.getItem('SMART_KEY') !== null;
}

/** Sends the browser to the authorization server's sign-in page; it comes back to the portal. */
export async function signIn(): Promise<void> {
  // A fresh start from any state: no half-finished or expired session to resume, and no `iss` left in the address
  // (Keycloak's, from its last answer), which fhirclient would take over the gateway's as the server to discover.
  sessionStorage.clear();
  if (window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }
  await FHIR.oauth2.authorize({
    iss: fhirBase(),
    clientId: CLIENT_ID,
    scope: SCOPES,
    redirectUri: portalUrl(),
    pkceMode: 'required',
  });
}

/** Completes the sign-in (or resumes it) and answers the client for the patient in the token's context. */
export async function signedIn(): Promise<Client> {
  let client: Client;
  try {
    client = await FHIR.oauth2.ready();
  } catch (error) {
    throw new PortalError('sign-in', error);
  }
  if (!client.patient.id) {
    throw new PortalError('not-linked');
  }
  // The code and state have done their job; a reload must not replay them.
  if (window.location.search) {
    window.history.replaceState(null, '', window.location.pathname);
  }
  return client;
}

/**
 * Forgets the session here and ends it at the authorization server (Keycloak, the issuer discovery names: the
 * authorization endpoint is the gateway's, which checks aud before sending the browser on).
 */
export async function signOut(client: Client | undefined): Promise<void> {
  const signedIn = client !== undefined;
  const idToken = client?.state.tokenResponse?.id_token;
  sessionStorage.clear();
  const issuer = signedIn ? await discoveredIssuer() : undefined;
  if (issuer) {
    const end = new URL(`${issuer}/protocol/openid-connect/logout`);
    end.searchParams.set('client_id', CLIENT_ID);
    end.searchParams.set('post_logout_redirect_uri', portalUrl());
    // With the ID token as hint, Keycloak ends the session at once: no confirmation page of its own.
    if (idToken) {
      end.searchParams.set('id_token_hint', idToken);
    }
    window.location.assign(end.toString());
  } else {
    window.location.assign(portalUrl());
  }
}

async function discoveredIssuer(): Promise<string | undefined> {
  try {
    const response = await fetch(`${fhirBase()}/.well-known/smart-configuration`, { headers: { Accept: 'application/json' } });
    return response.ok ? ((await response.json()) as { issuer?: string }).issuer : undefined;
  } catch {
    return undefined;
  }
}

export function problemOf(error: unknown): Problem {
  if (error instanceof PortalError) {
    return error.problem;
  }
  const status = (error as { status?: number; statusCode?: number } | null)?.status ?? (error as { statusCode?: number } | null)?.statusCode;
  if (status === 401) {
    return 'session';
  }
  if (status === 403 || status === 404) {
    return 'denied';
  }
  if (status !== undefined && status >= 500) {
    return 'gateway';
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/expired|refresh|No state found|session/i.test(message)) {
    return 'session';
  }
  if (error instanceof TypeError || /Failed to fetch|NetworkError|network/i.test(message)) {
    return 'gateway';
  }
  return 'other';
}

/**
 * Runs one request to the gateway with a token that will still be valid when it arrives: when the access token's own
 * expiry (its `exp`, not the browser's estimate) is near, it is refreshed first, so an action is never sent with a token
 * about to lapse (the gateway would refuse it and fhirclient would forget the session).
 */
async function call<T>(client: Client, work: () => Promise<T>): Promise<T> {
  try {
    if (expiresSoon(client.state.tokenResponse?.access_token) && client.state.tokenResponse?.refresh_token) {
      await client.refresh();
    }
    return await work();
  } catch (error) {
    throw new PortalError(problemOf(error), error);
  }
}


/** Everything of the patient's the portal shows, each search followed through all its pages. */
export async function loadEverything(client: Client) {
  const patient = `Patient/${client.patient.id}`;
  const all = (query: string) => call(client, () => client.request<Resource[]>(query, { pageLimit: 0, flat: true }));
  const [person, conditions, allergies, observations, prescriptions, documents, consents, accessLog] = await Promise.all([
    call(client, () => client.request<Resource>(patient)),
    all(`Condition?patient=${patient}&_count=200`),
    all(`AllergyIntolerance?patient=${patient}&_count=200`),
    all(`Observation?patient=${patient}&_count=200`),
    all(`MedicationRequest?patient=${patient}&_count=200`),
    all(`DocumentReference?patient=${patient}&_count=200`),
    all(`Consent?patient=${patient}&_count=200`),
    all(`AuditEvent?_count=200`),
  ]);
  return { patient, person, clinical: [...conditions, ...allergies, ...observations, ...prescriptions, ...documents], consents, accessLog };
}

/** A document the index points at (a checkup report's Bundle, `Bundle/<id>`), read when the patient opens it. */
export function readDocument(client: Client, url: string): Promise<Resource> {
  return call(client, () => client.request<Resource>(url));
}

export type Everything = Awaited<ReturnType<typeof loadEverything>>;

export function createConsent(client: Client, consent: Resource): Promise<Resource> {
  return call(client, () => client.create(consent as never) as Promise<Resource>);
}

export function updateConsent(client: Client, consent: Resource): Promise<Resource> {
  return call(client, () => client.update(consent as never) as Promise<Resource>);
}

/** A one-time code for one institution's reception ($consent-code): the patient shows it there, once, within minutes. */
export async function issueConsentCode(client: Client, institution: string): Promise<{ code: string; expires?: string }> {
  const answer = await call(client, () => client.request<Resource>({
    url: '$consent-code', method: 'POST', headers: { 'Content-Type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'institution', valueString: institution }] }),
  }));
  const parameters = (answer.parameter ?? []) as { name: string; valueString?: string; valueInstant?: string }[];
  return {
    code: parameters.find(p => p.name === 'code')?.valueString ?? '',
    expires: parameters.find(p => p.name === 'expires')?.valueInstant,
  };
}

/** The referral letters about the patient: where each is addressed and whether it waits for the patient's consent. */
export async function referralsAwaitingConsent(client: Client) {
  return referralDestinations(await call(client, () => client.request<Resource>('$referral-destinations')));
}

/** An institution of the gateway's institution master. */
export interface Institution { code: string; name: string; connected: boolean }

/** Institutions by part of their name or the start of their code ($institution-search). */
export async function findInstitutions(client: Client, text: string): Promise<Institution[]> {
  const found = await call(client, () => client.request<Resource>(`$institution-search?text=${encodeURIComponent(text)}`));
  return ((found.entry ?? []) as { resource?: Resource }[]).map(e => e.resource as Resource & {
    identifier?: { value?: string }[]; name?: string; active?: boolean;
  }).map(o => ({ code: o.identifier?.[0]?.value ?? '', name: o.name ?? '', connected: o.active === true }))
    .filter(i => i.code !== '');
}

/** What a viewer sees of the patient now, category by category, and why ($consent-check). */
export async function consentCheck(client: Client, viewer: string): Promise<CategoryDecisions> {
  const answer = await call(client, () => client.request<Resource>(
    `$consent-check?patient=Patient/${client.patient.id}&viewer=${encodeURIComponent(viewer)}`));
  return decisionsOf(answer);
}
