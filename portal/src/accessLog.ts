// The access log (AuditEvents) as a patient reads it: who, what, when, why, and whether it was refused;
// and who recorded or revoked one of the patient's consents.
import { Category, GATEWAY, INSTITUTION_NUMBER, INSURER_NUMBER, Reference, Resource } from './fhir';

/** How the gateway names the service operator in its access log. */
const OPERATOR = GATEWAY + '/operator';

export type AccessAction = 'read' | 'consent-recorded' | 'consent-revoked' | 'document-cancelled' | 'document-restored'
  | 'document-changed';

const ACCESS_KIND = GATEWAY + '/CodeSystem/access-kind';
const DOCUMENT_STEPS = new Set<string>(['document-cancelled', 'document-restored', 'document-changed']);

/**
 * What the access gave back, as the gateway recorded it when it happened: records shown, a search that showed
 * nothing, only a count, a refusal, or a change (consent or document step); a check of a destination.
 */
export type Returned = 'shown' | 'nothing' | 'count-only' | 'refused' | 'changed' | 'checked';
const RETURNED = new Set<string>(['shown', 'nothing', 'count-only', 'refused', 'changed', 'checked']);

export interface Access {
  id: string;
  when?: string;
  who: { kind: 'institution' | 'insurer' | 'patient' | 'operator' | 'other'; code?: string; name?: string };
  action: AccessAction;
  /** The categories of what was returned (or, when refused, asked for). */
  what: Category[];
  /** What was returned: shown, nothing, only a count, refused (for entries before the gateway said so, inferred). */
  returned: Returned;
  /** Per category, how many records were shown. */
  counts: Partial<Record<Category, number>>;
  /** For count-only answers: how many records the search reported. */
  total?: number;
  /** The categories the searched (or read) type holds: what was looked for. */
  searched: Category[];
  /** The type searched or read (Patient for a look-up of the patient's identity). */
  searchedType?: string;
  /** For consent writes: the Consent written. */
  consent?: string;
  purpose?: string;
  emergency: boolean;
  refused: boolean;
}

/** What each resource type holds, in share categories: for entries that name only what was asked for. */
const CATEGORIES_OF: Record<string, Category[]> = {
  Condition: ['diagnosis'],
  AllergyIntolerance: ['allergy', 'contraindication'],
  Observation: ['lab-result', 'infection'],
  MedicationRequest: ['prescription'],
  DocumentReference: ['referral-letter', 'discharge-summary', 'checkup-report'],
  Bundle: ['referral-letter', 'discharge-summary', 'checkup-report'],
};
const CATEGORIES = new Set<string>(Object.values(CATEGORIES_OF).flat());

interface Detail { type?: string; valueString?: string }
interface Entity { what?: Reference; query?: string; description?: string; role?: { code?: string }; detail?: Detail[] }
interface Agent { requestor?: boolean; who?: Reference }

export function accessOf(event: Resource): Access {
  const agent = ((event.agent ?? []) as Agent[]).find(a => a.requestor) ?? (event.agent as Agent[] | undefined)?.[0];
  const identifier = agent?.who?.identifier;
  const who = identifier?.system === INSTITUTION_NUMBER ? 'institution' : identifier?.system === INSURER_NUMBER ? 'insurer'
    : agent?.who?.reference?.startsWith('Patient/') ? 'patient'
    : identifier?.system === OPERATOR ? 'operator' : 'other';
  const purpose = ((event.purposeOfEvent ?? []) as { coding?: { code?: string }[] }[])[0]?.coding?.[0]?.code;
  const entities = (event.entity ?? []) as Entity[];
  const consent = entities.map(e => e.what?.reference).find(r => r?.startsWith('Consent/'));
  const kind = ((event.subtype ?? []) as { system?: string; code?: string }[]).find(c => c.system === ACCESS_KIND)?.code;
  const action: AccessAction = consent ? (event.action === 'U' ? 'consent-revoked' : 'consent-recorded')
    : kind && DOCUMENT_STEPS.has(kind) ? kind as AccessAction : 'read';
  const refused = event.outcome !== undefined && event.outcome !== '0';
  const details = entities.flatMap(e => e.detail ?? []);
  const counts: Partial<Record<Category, number>> = {};
  for (const d of details) {
    if (d.type && CATEGORIES.has(d.type) && Number(d.valueString ?? '0') > 0) {
      counts[d.type as Category] = Number(d.valueString);
    }
  }
  const totalDetail = details.find(d => d.type === 'total')?.valueString;
  const recorded = details.find(d => d.type === 'returned')?.valueString;
  // What the gateway recorded as returned is the truth; only older entries are inferred from what was asked.
  const what = consent || recorded === 'nothing' || recorded === 'count-only' ? [] : whatOf(entities, !refused);
  const returned: Returned = recorded && RETURNED.has(recorded) ? recorded as Returned
    : refused ? 'refused' : action !== 'read' ? 'changed' : what.length > 0 ? 'shown' : 'nothing';
  return {
    id: event.id ?? '',
    when: event.recorded as string | undefined,
    who: { kind: who, code: identifier?.value, name: agent?.who?.display },
    action,
    what,
    returned,
    counts,
    total: totalDetail === undefined ? undefined : Number(totalDetail),
    searched: searchedOf(entities),
    searchedType: typesOf(entities)[0],
    consent,
    purpose,
    emergency: purpose === 'ETREAT',
    refused,
  };
}

/**
 * What was shown: the categories the gateway counted in the query entity (those with a count above
 * zero); for a refusal, or an entry without counts, the categories of the type asked for.
 */
function whatOf(entities: Entity[], served: boolean): Category[] {
  const details = entities.flatMap(e => e.detail ?? []);
  const counted = details.filter(d => d.type && CATEGORIES.has(d.type) && Number(d.valueString ?? '0') > 0);
  const total = Number(details.find(d => d.type === 'total')?.valueString ?? '0');
  // A count-only answer (_summary=count) shows no record, but tells how many of the searched type there are.
  if (served && entities.some(e => e.role?.code === '24' && e.description !== undefined) && (counted.length > 0 || total === 0)) {
    return counted.map(d => d.type as Category);
  }
  return searchedOf(entities);
}

/** The categories of the type searched or read (what was looked for, whatever was found). */
function searchedOf(entities: Entity[]): Category[] {
  return [...new Set(typesOf(entities).flatMap(type => CATEGORIES_OF[type] ?? []))];
}

function typesOf(entities: Entity[]): string[] {
  const types = new Set<string>();
  for (const entity of entities) {
    if (entity.description) {
      types.add(entity.description.split('?')[0]);
    }
    if (entity.query) {
      types.add(decodeQuery(entity.query).split('?')[0]);
    }
    const reference = entity.what?.reference;
    if (reference && !reference.startsWith('Patient/')) {
      types.add(reference.split('/')[0]);
    }
  }
  return [...types];
}

/** AuditEvent.entity.query (entries written before the gateway stopped keeping queries) is base64 of UTF-8. */
function decodeQuery(base64: string): string {
  try {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}
