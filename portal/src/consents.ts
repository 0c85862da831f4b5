// The patient's consent decisions as FHIR Consent resources (the gateway's patient-consent profile), and back.
// Pure functions: what to create and what to revoke; the gateway and its consent engine decide what they mean.
import {
  CATEGORIES, Category, CodeableConcept, Coding, CONSENT_RECORDER, IMPLEMENTATION_GUIDE, INSTITUTION_NUMBER, PATIENT_CONSENT,
  Reference, Resource, SHARE_CATEGORY, tagOf,
} from './fhir';

export type Effect = 'permit' | 'deny';
export type Choice = Effect | 'undecided';

/** One consent or refusal in force, as the portal shows it. */
export interface ConsentView {
  id: string;
  effect: Effect;
  /** The institution it is about; undefined: every institution. */
  institution?: string;
  /** The categories it covers; empty: all of them. */
  categories: Category[];
  /** Purposes it is limited to (e.g. ETREAT: emergency access only); empty: any. */
  purposes: string[];
  start?: string;
  end?: string;
  /** The institution that recorded it at its reception (or for its letter's destination); undefined: the patient. */
  recordedBy?: string;
  resource: Resource;
}

/** What the patient decided for everyone at once: nothing, yes to all, no to all, or item by item. */
export type GeneralDecision = 'none' | 'all-permit' | 'all-deny' | 'items';

interface Provision {
  type?: Effect;
  period?: { start?: string; end?: string };
  actor?: { reference?: Reference }[];
  code?: CodeableConcept[];
  purpose?: Coding[];
}

export function viewOf(consent: Resource): ConsentView {
  const provision = (consent.provision ?? {}) as Provision;
  return {
    id: consent.id ?? '',
    effect: provision.type === 'deny' ? 'deny' : 'permit',
    institution: provision.actor?.[0]?.reference?.identifier?.value,
    categories: (provision.code ?? []).flatMap(c => c.coding ?? [])
      .filter(c => c.system === SHARE_CATEGORY && (CATEGORIES as readonly string[]).includes(c.code ?? ''))
      .map(c => c.code as Category),
    purposes: (provision.purpose ?? []).map(p => p.code ?? '').filter(Boolean),
    start: provision.period?.start,
    end: provision.period?.end,
    recordedBy: ((r: string | undefined) => (r && r !== 'patient' ? r : undefined))(tagOf(consent, CONSENT_RECORDER)),
    resource: consent,
  };
}

/** The consents in force now: active, begun, not ended. */
export function inForce(consents: Resource[], now: Date = new Date()): ConsentView[] {
  return consents.filter(c => c.status === 'active').map(viewOf)
    .filter(v => (!v.start || new Date(v.start) <= now) && (!v.end || now < new Date(v.end)));
}

/** A consent about every institution and any purpose: the patient's general decision. */
export function isGeneral(view: ConsentView): boolean {
  return view.institution === undefined && view.purposes.length === 0;
}

export function generalDecision(views: ConsentView[]): GeneralDecision {
  const general = views.filter(isGeneral);
  if (general.length === 0) {
    return 'none';
  }
  if (general.length === 1 && general[0].categories.length === 0) {
    return general[0].effect === 'permit' ? 'all-permit' : 'all-deny';
  }
  return 'items';
}

/** Per category, what the general decision says: a refusal beats a consent, as in the consent engine. */
export function itemChoices(views: ConsentView[]): Record<Category, Choice> {
  const general = views.filter(isGeneral);
  const covers = (v: ConsentView, c: Category) => v.categories.length === 0 || v.categories.includes(c);
  const choices = {} as Record<Category, Choice>;
  for (const c of CATEGORIES) {
    choices[c] = general.some(v => v.effect === 'deny' && covers(v, c)) ? 'deny'
      : general.some(v => v.effect === 'permit' && covers(v, c)) ? 'permit' : 'undecided';
  }
  return choices;
}

export interface ConsentDraft {
  effect: Effect;
  institution?: string;
  categories: Category[];
}

/**
 * A new general decision replaces the earlier one: the consents to create, and the earlier general
 * consents to revoke (after the new ones are stored, so the patient is never less protected in between).
 */
export function replaceGeneralDecision(views: ConsentView[], choices: Partial<Record<Category, Choice>>): {
  create: ConsentDraft[];
  revoke: ConsentView[];
} {
  const chosen = (effect: Effect) => CATEGORIES.filter(c => choices[c] === effect);
  const permitted = chosen('permit');
  const refused = chosen('deny');
  const create: ConsentDraft[] = [];
  if (permitted.length === CATEGORIES.length) {
    create.push({ effect: 'permit', categories: [] });
  } else if (refused.length === CATEGORIES.length) {
    create.push({ effect: 'deny', categories: [] });
  } else {
    if (permitted.length > 0) {
      create.push({ effect: 'permit', categories: permitted });
    }
    if (refused.length > 0) {
      create.push({ effect: 'deny', categories: refused });
    }
  }
  return { create, revoke: views.filter(isGeneral) };
}

/** Every category chosen the same way. */
export function allChosen(effect: Effect): Record<Category, Choice> {
  return Object.fromEntries(CATEGORIES.map(c => [c, effect])) as Record<Category, Choice>;
}

/** A Consent resource of the gateway's patient-consent profile, starting now. */
export function consentResource(patientReference: string, draft: ConsentDraft, now: Date = new Date()): Resource {
  const provision: Provision = {
    type: draft.effect,
    period: { start: now.toISOString() },
  };
  if (draft.institution) {
    provision.actor = [{
      role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
      reference: { identifier: { system: INSTITUTION_NUMBER, value: draft.institution } },
    } as { reference: Reference }];
  }
  if (draft.categories.length > 0) {
    provision.code = draft.categories.map(c => ({ coding: [{ system: SHARE_CATEGORY, code: c }] }));
  }
  return {
    resourceType: 'Consent',
    meta: { profile: [PATIENT_CONSENT] },
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'INFA' }] }],
    patient: { reference: patientReference },
    dateTime: now.toISOString(),
    policy: [{ uri: IMPLEMENTATION_GUIDE }],
    provision,
  };
}

/** The same consent, revoked: the gateway keeps it as a new, inactive version. */
export function revoked(consent: Resource): Resource {
  return { ...consent, status: 'inactive' };
}

/** Whether a purpose list limits a consent to emergency access. */
export function emergencyOnly(view: ConsentView): boolean {
  return view.purposes.length > 0 && view.purposes.every(p => p === 'ETREAT');
}

/** Per category, whether a viewer sees it now and the reason code the gateway gave ($consent-check). */
export type CategoryDecisions = Partial<Record<Category, { permits: boolean; reason: string }>>;

interface Part { name: string; valueCoding?: { code?: string }; valueCode?: string }

export function decisionsOf(answer: Resource): CategoryDecisions {
  const decisions: CategoryDecisions = {};
  for (const parameter of (answer.parameter ?? []) as { name: string; part?: Part[] }[]) {
    if (parameter.name !== 'category') {
      continue;
    }
    const part = (name: string) => parameter.part?.find(p => p.name === name);
    const code = part('code')?.valueCoding?.code as Category | undefined;
    if (code) {
      decisions[code] = { permits: part('decision')?.valueCode === 'permit', reason: part('reason')?.valueCode ?? '' };
    }
  }
  return decisions;
}

/**
 * What a consent for these categories would do for a viewer, from what $consent-check says now: which categories the
 * viewer will see (already or by the new consent), and which stay hidden because the patient refused them (a refusal
 * beats any consent).
 */
export function effectOf(now: CategoryDecisions, chosen: Category[]): { willSee: Category[]; hiddenByRefusal: Category[] } {
  const refused = (c: Category) => now[c]?.reason === 'consent-refused';
  const willSee = CATEGORIES.filter(c => now[c]?.permits || (chosen.includes(c) && !refused(c)));
  const hiddenByRefusal = chosen.filter(refused);
  return { willSee, hiddenByRefusal };
}
