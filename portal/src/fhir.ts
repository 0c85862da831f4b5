// The few FHIR shapes the portal reads, and the gateway's own code systems (see the implementation guide, ig/).

export interface Coding { system?: string; code?: string; display?: string }
export interface CodeableConcept { coding?: Coding[]; text?: string }
export interface Identifier { system?: string; value?: string }
export interface Reference { reference?: string; identifier?: Identifier; display?: string }
export interface Period { start?: string; end?: string }
export interface Quantity { value?: number; unit?: string; code?: string }
export interface Meta { tag?: Coding[]; lastUpdated?: string; profile?: string[] }

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: Meta;
  [element: string]: unknown;
}

export const GATEWAY = 'http://clinsgateway.jp/fhir';
/** On a Consent: who recorded it (`patient`, or the recording institution's code), written by the gateway. */
export const CONSENT_RECORDER = GATEWAY + '/CodeSystem/consent-recorder';
export const SHARE_CATEGORY = GATEWAY + '/CodeSystem/share-category';
export const AUTHOR_INSTITUTION = GATEWAY + '/CodeSystem/author-institution';
export const ADDRESSED_INSTITUTION = GATEWAY + '/CodeSystem/addressed-institution';
export const PATIENT_VISIBILITY = GATEWAY + '/CodeSystem/patient-visibility';
export const PATIENT_CONSENT = GATEWAY + '/StructureDefinition/patient-consent';
export const IMPLEMENTATION_GUIDE = GATEWAY + '/ImplementationGuide/clins-gateway';
export const INSTITUTION_NUMBER = 'http://jpfhir.jp/fhir/core/IdSystem/insurance-medical-institution-no';
export const INSURER_NUMBER = 'http://jpfhir.jp/fhir/core/mhlw/IdSystem/InsurerNumber';
export const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';

/** Document types (LOINC) of the three documents. */
export const DOCUMENT_TYPES = {
  referral: '57133-1',
  discharge: '18842-5',
  checkup: '53576-5',
} as const;

/** The nine share categories: the six information items, then the three documents. */
export const CATEGORIES = ['diagnosis', 'infection', 'allergy', 'contraindication', 'lab-result', 'prescription',
  'referral-letter', 'discharge-summary', 'checkup-report'] as const;
export type Category = typeof CATEGORIES[number];

/** The value of the record's gateway label (meta.tag) of one code system. */
export function tagOf(resource: Resource, system: string): string | undefined {
  return resource.meta?.tag?.find(tag => tag.system === system)?.code;
}

/** Text a person can read for a concept: its text, else the first display, else the first code. */
export function textOf(concept: CodeableConcept | undefined): string {
  if (!concept) {
    return '';
  }
  return concept.text ?? concept.coding?.find(c => c.display)?.display ?? concept.coding?.[0]?.code ?? '';
}
