// The access log (AuditEvents) as a patient reads it: who, what, when, why, and whether it was refused.
import { Category, INSTITUTION_NUMBER, INSURER_NUMBER, Reference, Resource } from './fhir';

export interface Access {
  id: string;
  when?: string;
  who: { kind: 'institution' | 'insurer' | 'other'; code?: string; name?: string };
  /** The categories the request was about, from the resource type it read. */
  what: Category[];
  purpose?: string;
  emergency: boolean;
  refused: boolean;
}

/** What each resource type holds, in share categories. */
const CATEGORIES_OF: Record<string, Category[]> = {
  Condition: ['diagnosis'],
  AllergyIntolerance: ['allergy', 'contraindication'],
  Observation: ['lab-result', 'infection'],
  MedicationRequest: ['prescription'],
  DocumentReference: ['referral-letter', 'discharge-summary', 'checkup-report'],
  Bundle: ['referral-letter', 'discharge-summary', 'checkup-report'],
};

interface Entity { what?: Reference; query?: string; role?: { code?: string } }
interface Agent { requestor?: boolean; who?: Reference }

export function accessOf(event: Resource): Access {
  const agent = ((event.agent ?? []) as Agent[]).find(a => a.requestor) ?? (event.agent as Agent[] | undefined)?.[0];
  const identifier = agent?.who?.identifier;
  const kind = identifier?.system === INSTITUTION_NUMBER ? 'institution' : identifier?.system === INSURER_NUMBER ? 'insurer' : 'other';
  const purpose = ((event.purposeOfEvent ?? []) as { coding?: { code?: string }[] }[])[0]?.coding?.[0]?.code;
  return {
    id: event.id ?? '',
    when: event.recorded as string | undefined,
    who: { kind, code: identifier?.value, name: agent?.who?.display },
    what: whatOf((event.entity ?? []) as Entity[]),
    purpose,
    emergency: purpose === 'ETREAT',
    refused: event.outcome !== undefined && event.outcome !== '0',
  };
}

function whatOf(entities: Entity[]): Category[] {
  const types = new Set<string>();
  for (const entity of entities) {
    if (entity.query) {
      types.add(decodeQuery(entity.query).split('?')[0]);
    }
    const reference = entity.what?.reference;
    if (reference && !reference.startsWith('Patient/')) {
      types.add(reference.split('/')[0]);
    }
  }
  return [...new Set([...types].flatMap(type => CATEGORIES_OF[type] ?? []))];
}

/** AuditEvent.entity.query is base64 of the query's UTF-8 bytes. */
function decodeQuery(base64: string): string {
  try {
    const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
    return new TextDecoder().decode(bytes);
  } catch {
    return '';
  }
}
