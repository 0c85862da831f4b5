// The patient's records, arranged as a person reads them. Pure functions: FHIR resources in, view data out.
import {
  AUTHOR_INSTITUTION, CodeableConcept, DOCUMENT_TYPES, PATIENT_VISIBILITY, Quantity, Resource,
  SHARE_CATEGORY, tagOf, textOf,
} from './fhir';

export interface Item {
  id: string;
  title: string;
  /** The institution that sent it (10-digit code). */
  institution?: string;
  date?: string;
  /** For diagnoses: whether the date is the onset (発症日) or when it was recorded (記録日). */
  dateKind?: 'onset' | 'recorded';
  detail?: string;
  /** The same item sent by other institutions too (diagnoses): their codes, shown as one entry. */
  alsoFrom?: string[];
}

export interface Records {
  allergies: Item[];
  contraindications: Item[];
  diagnoses: Item[];
  prescriptions: Item[];
  infections: Item[];
  labSeries: LabSeries[];
  checkups: CheckupReport[];
}

export interface LabPoint { date: string; value: number; outOfRange: boolean }

/** One test over time: what the trend chart draws. */
export interface LabSeries {
  key: string;
  name: string;
  unit: string;
  low?: number;
  high?: number;
  points: LabPoint[];
  institution?: string;
}

export interface CheckupReport {
  id: string;
  date?: string;
  institution?: string;
  /** Where the report itself (the document Bundle) is read. */
  url?: string;
}

/** A referral letter's route, for the approval of its destination. */
export interface Referral {
  id: string;
  from?: string;
  to: string;
  date?: string;
}

const author = (r: Resource) => tagOf(r, AUTHOR_INSTITUTION);
const category = (r: Resource) => tagOf(r, SHARE_CATEGORY);
/** The record's category as its labels name it (a document index names it in its category). */
const shareCategoryOf = (r: Resource) => category(r) ?? ((r.category as CodeableConcept[] | undefined) ?? [])
  .flatMap(c => c.coding ?? []).find(c => c.system === SHARE_CATEGORY)?.code;

/**
 * Arranges the six information items and the checkup reports; referral letters and discharge summaries are left out.
 * The gateway never serves the patient an UNINFORMED or UNDELIVERED item; should one arrive all the same (its
 * patient-visibility label missing, or naming another category), it is not shown: a second line, as on the server.
 */
export function arrange(all: Resource[]): Records {
  const resources = all.filter(r => { const visibleAs = tagOf(r, PATIENT_VISIBILITY); return visibleAs !== undefined && visibleAs === shareCategoryOf(r); });
  const items = resources.filter(r => r.resourceType !== 'DocumentReference');
  const byCategory = (code: string) => items.filter(r => category(r) === code);
  return {
    allergies: byCategory('allergy').map(allergyItem),
    contraindications: byCategory('contraindication').map(allergyItem),
    diagnoses: sameDiagnosisOnce(byCategory('diagnosis')).sort(newestFirst),
    prescriptions: byCategory('prescription').map(prescriptionItem).sort(newestFirst),
    infections: byCategory('infection').map(observationItem).sort(newestFirst),
    labSeries: labSeries(byCategory('lab-result')),
    checkups: resources.filter(r => r.resourceType === 'DocumentReference' && documentType(r) === DOCUMENT_TYPES.checkup)
      .map(checkupReport).sort(newestFirst),
  };
}

/**
 * The referral letters about the patient, as $referral-destinations answers: sender, destination, date and whether
 * the destination waits for the patient's consent. The letters themselves are for institutions and never reach the portal.
 */
export function referralDestinations(answer: Resource): (Referral & { onHold: boolean })[] {
  type Part = { name: string; valueString?: string; valueDateTime?: string; valueBoolean?: boolean };
  return ((answer.parameter ?? []) as { name: string; part?: Part[] }[])
    .filter(p => p.name === 'referral')
    .map(p => {
      const part = (name: string) => p.part?.find(x => x.name === name);
      return {
        id: part('letter')?.valueString ?? '', from: part('from')?.valueString, to: part('to')?.valueString ?? '',
        date: part('date')?.valueDateTime, onHold: part('onHold')?.valueBoolean ?? true,
      };
    })
    .filter(r => r.to !== '');
}

function documentType(r: Resource): string | undefined {
  return (r.type as CodeableConcept | undefined)?.coding?.find(c => c.system === 'http://loinc.org')?.code
    ?? (r.type as CodeableConcept | undefined)?.coding?.[0]?.code;
}

function newestFirst(a: { date?: string }, b: { date?: string }): number {
  return (b.date ?? '').localeCompare(a.date ?? '');
}

function allergyItem(r: Resource): Item {
  const reaction = (r.reaction as { manifestation?: CodeableConcept[] }[] | undefined)?.[0]?.manifestation?.[0];
  return {
    id: r.id ?? '', title: textOf(r.code as CodeableConcept), institution: author(r),
    date: (r.recordedDate ?? r.onsetDateTime) as string | undefined,
    detail: reaction ? textOf(reaction) : undefined,
  };
}

function diagnosisItem(r: Resource): Item {
  return {
    id: r.id ?? '', title: textOf(r.code as CodeableConcept), institution: author(r),
    date: (r.onsetDateTime ?? r.recordedDate) as string | undefined,
    dateKind: r.onsetDateTime ? 'onset' : r.recordedDate ? 'recorded' : undefined,
  };
}

/**
 * The same diagnosis (same code, else same name) sent by several institutions is one entry: the newest, saying
 * which other institutions sent it too.
 */
function sameDiagnosisOnce(conditions: Resource[]): Item[] {
  const groups = new Map<string, Item[]>();
  for (const condition of conditions) {
    const coding = ((condition.code as CodeableConcept | undefined)?.coding ?? [])[0];
    const item = diagnosisItem(condition);
    const key = coding?.code ? `${coding.system ?? ''}|${coding.code}` : item.title;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups.values()].map(items => {
    const [newest, ...older] = [...items].sort(newestFirst);
    const others = [...new Set(older.map(i => i.institution).filter((c): c is string => !!c && c !== newest.institution))];
    return others.length > 0 ? { ...newest, alsoFrom: others } : newest;
  });
}

function prescriptionItem(r: Resource): Item {
  const dosage = (r.dosageInstruction as { text?: string }[] | undefined)?.[0]?.text;
  return {
    id: r.id ?? '', title: textOf(r.medicationCodeableConcept as CodeableConcept), institution: author(r),
    date: r.authoredOn as string | undefined, detail: dosage,
  };
}

function observationItem(r: Resource): Item {
  return {
    id: r.id ?? '', title: textOf(r.code as CodeableConcept), institution: author(r),
    date: r.effectiveDateTime as string | undefined, detail: valueText(r),
  };
}

function valueText(r: Resource): string {
  const quantity = r.valueQuantity as Quantity | undefined;
  if (quantity?.value !== undefined) {
    return `${quantity.value} ${quantity.unit ?? ''}`.trim();
  }
  if (r.valueCodeableConcept) {
    return textOf(r.valueCodeableConcept as CodeableConcept);
  }
  return (r.valueString as string | undefined) ?? '';
}

/** Lab results with a number, grouped by test (code system and code), oldest first: one chart per test. */
export function labSeries(observations: Resource[]): LabSeries[] {
  const series = new Map<string, LabSeries>();
  for (const r of observations) {
    const quantity = r.valueQuantity as Quantity | undefined;
    const date = r.effectiveDateTime as string | undefined;
    if (quantity?.value === undefined || !date) {
      continue;
    }
    const code = (r.code as CodeableConcept | undefined)?.coding?.[0];
    const key = `${code?.system ?? ''}|${code?.code ?? textOf(r.code as CodeableConcept)}`;
    const range = (r.referenceRange as { low?: Quantity; high?: Quantity }[] | undefined)?.[0];
    const entry = series.get(key) ?? {
      key, name: textOf(r.code as CodeableConcept), unit: quantity.unit ?? '', points: [], institution: author(r),
      low: range?.low?.value, high: range?.high?.value,
    };
    entry.low ??= range?.low?.value;
    entry.high ??= range?.high?.value;
    const outOfRange = (range?.low?.value !== undefined && quantity.value < range.low.value)
      || (range?.high?.value !== undefined && quantity.value > range.high.value);
    entry.points.push({ date, value: quantity.value, outOfRange });
    series.set(key, entry);
  }
  return [...series.values()]
    .map(s => ({ ...s, points: [...s.points].sort((a, b) => a.date.localeCompare(b.date)) }))
    // Tests with the longest history first: a trend is what the chart is for.
    .sort((a, b) => b.points.length - a.points.length || a.name.localeCompare(b.name, 'ja'));
}

function checkupReport(r: Resource): CheckupReport {
  const attachment = (r.content as { attachment?: { url?: string } }[] | undefined)?.[0]?.attachment;
  return { id: r.id ?? '', date: r.date as string | undefined, institution: author(r), url: attachment?.url };
}

/** A period the patient chose, as the date inputs give it (YYYY-MM-DD); either end may be open. */
export interface DateRange { from?: string; to?: string }

/**
 * Prescriptions and lab results within the period, as マイナポータル filters them: by the day of the record (as the
 * institution wrote it, whatever its time zone). Without a date a record cannot be said to lie in a period, so a set
 * range hides it; a lab test with no result left in the period has no chart.
 */
export function withinDates(records: Records, range: DateRange): Records {
  if (!range.from && !range.to) {
    return records;
  }
  const inRange = (date?: string) => !!date && (!range.from || date.slice(0, 10) >= range.from)
    && (!range.to || date.slice(0, 10) <= range.to);
  return {
    ...records,
    prescriptions: records.prescriptions.filter(p => inRange(p.date)),
    labSeries: records.labSeries.map(s => ({ ...s, points: s.points.filter(p => inRange(p.date)) })).filter(s => s.points.length > 0),
  };
}
