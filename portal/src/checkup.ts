// A checkup report (健診結果報告書, a FHIR document Bundle of the eCheckup profiles) as a person reads it: the
// results of each of the report's sections as rows of item, value, reference range, and whether it is outside it.
import { CodeableConcept, Quantity, Resource, textOf } from './fhir';

export interface CheckupRow {
  id: string;
  name: string;
  /** The value with its unit, or the coded or written answer. */
  value: string;
  /** The reference range as printed on a report: "18.5–24.9 kg/m2", "≤ 129 mmHg", or the range's own text. */
  range?: string;
  /** High, low or abnormal: as the report interprets it, else as the value compares with the range. */
  flag?: 'high' | 'low' | 'abnormal';
}

export interface CheckupSection { title: string; rows: CheckupRow[] }

export interface CheckupResults { title: string; date?: string; sections: CheckupSection[] }

interface Range { low?: Quantity; high?: Quantity; text?: string }

// v3-ObservationInterpretation codes that say the value is outside its range.
const HIGH = new Set(['H', 'HH', 'HU', '>']);
const LOW = new Set(['L', 'LL', 'LU', '<']);
const ABNORMAL = new Set(['A', 'AA', 'POS', 'DET', 'R']);

/**
 * The report's results, section by section in the report's order; an entry the Bundle does not hold (an item the
 * gateway keeps from the patient) is left out, and a section left without results is not shown.
 */
export function checkupResults(document: Resource): CheckupResults {
  const resources = ((document.entry ?? []) as { fullUrl?: string; resource?: Resource }[]).filter(e => e.resource);
  const byReference = new Map<string, Resource>();
  for (const { fullUrl, resource } of resources) {
    if (fullUrl) {
      byReference.set(fullUrl, resource!);
    }
    if (resource!.id) {
      byReference.set(`${resource!.resourceType}/${resource!.id}`, resource!);
    }
  }
  const composition = resources.map(e => e.resource!).find(r => r.resourceType === 'Composition');
  type Section = { title?: string; code?: CodeableConcept; entry?: { reference?: string }[]; section?: Section[] };
  const flatten = (sections: Section[] = []): Section[] => sections.flatMap(s => [s, ...flatten(s.section)]);
  const sections = flatten(composition?.section as Section[] | undefined)
    .map(section => ({
      title: section.title ?? textOf(section.code),
      rows: (section.entry ?? [])
        .map(e => (e.reference ? byReference.get(e.reference) : undefined))
        .filter((r): r is Resource => r?.resourceType === 'Observation')
        .map(resultRow),
    }))
    .filter(section => section.rows.length > 0);
  return {
    title: (composition?.title as string | undefined) ?? '',
    date: checkupDate(composition) ?? (composition?.date as string | undefined),
    sections,
  };
}

function checkupDate(composition: Resource | undefined): string | undefined {
  return (composition?.event as { period?: { start?: string } }[] | undefined)?.[0]?.period?.start;
}

function resultRow(observation: Resource): CheckupRow {
  const quantity = observation.valueQuantity as Quantity | undefined;
  const range = (observation.referenceRange as Range[] | undefined)?.[0];
  return {
    id: observation.id ?? (observation.identifier as { value?: string }[] | undefined)?.[0]?.value ?? textOf(observation.code as CodeableConcept),
    name: textOf(observation.code as CodeableConcept),
    value: valueOf(observation),
    range: range ? rangeText(range, quantity?.unit) : undefined,
    // The report's own judgement when it gives one ("N" included), the comparison only without it.
    flag: observation.interpretation ? interpreted(observation) : compared(quantity, range),
  };
}

function valueOf(observation: Resource): string {
  const quantity = observation.valueQuantity as Quantity | undefined;
  if (quantity?.value !== undefined) {
    return `${quantity.value} ${quantity.unit ?? ''}`.trim();
  }
  if (observation.valueCodeableConcept) {
    return textOf(observation.valueCodeableConcept as CodeableConcept);
  }
  if (observation.valueBoolean !== undefined) {
    return String(observation.valueBoolean);
  }
  return (observation.valueString as string | undefined) ?? '';
}

function rangeText(range: Range, valueUnit: string | undefined): string | undefined {
  if (range.text) {
    return range.text;
  }
  const unit = range.high?.unit ?? range.low?.unit ?? valueUnit;
  const withUnit = (text: string) => (unit ? `${text} ${unit}` : text);
  const low = range.low?.value;
  const high = range.high?.value;
  if (low !== undefined && high !== undefined) {
    return withUnit(`${low}–${high}`);
  }
  if (high !== undefined) {
    return withUnit(`≤ ${high}`);
  }
  return low !== undefined ? withUnit(`≥ ${low}`) : undefined;
}

function interpreted(observation: Resource): CheckupRow['flag'] | undefined {
  const codes = ((observation.interpretation as CodeableConcept[] | undefined) ?? []).flatMap(c => c.coding ?? []).map(c => c.code ?? '');
  if (codes.some(c => HIGH.has(c))) {
    return 'high';
  }
  if (codes.some(c => LOW.has(c))) {
    return 'low';
  }
  return codes.some(c => ABNORMAL.has(c)) ? 'abnormal' : undefined;
}

function compared(quantity: Quantity | undefined, range: Range | undefined): CheckupRow['flag'] | undefined {
  if (quantity?.value === undefined || !range) {
    return undefined;
  }
  if (range.high?.value !== undefined && quantity.value > range.high.value) {
    return 'high';
  }
  return range.low?.value !== undefined && quantity.value < range.low.value ? 'low' : undefined;
}
