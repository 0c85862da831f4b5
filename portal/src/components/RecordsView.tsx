// The patient's own records: allergies and contraindications first (what a doctor must never miss), then
// diagnoses, prescriptions, lab trends, infections and checkup reports. Never referral letters or discharge
// summaries (they are for institutions); items the gateway keeps from the patient never arrive here.
import { useMemo, useState } from 'preact/hooks';
import { CheckupReport as Report, DateRange, Item, Records, withinDates } from '../records';
import { checkupResults, CheckupResults } from '../checkup';
import type { Resource } from '../fhir';
import { formatDate, Language, Words } from '../i18n';
import type { Directory } from '../institutions';
import { LabChart } from './LabChart';
import { CheckupReport } from './CheckupReport';
import type { ComponentChildren } from 'preact';

interface Props {
  records: Records; words: Words; language: Language; names: Directory;
  /** Reads a checkup report's document when the patient opens it (it is not loaded with the list). */
  onOpenCheckup: (url: string) => Promise<Resource>;
}

type Opened = { kind: 'loading' } | { kind: 'shown'; results: CheckupResults } | { kind: 'failed' };

export function RecordsView({ records: all, words, language, names, onOpenCheckup }: Props) {
  const [range, setRange] = useState<DateRange>({});
  const [opened, setOpened] = useState<Record<string, Opened>>({});
  // Everything of the patient's is loaded (every page), so the period filters all their records, not a first page.
  const records = useMemo(() => withinDates(all, range), [all, range]);
  const filtering = Boolean(range.from || range.to);
  const period = range.from && range.to ? words.periodFromTo(formatDate(range.from, language), formatDate(range.to, language))
    : range.from ? words.periodFrom(formatDate(range.from, language)) : range.to ? words.periodUntil(formatDate(range.to, language)) : '';

  const toggle = (report: Report) => {
    if (opened[report.id]) {
      const { [report.id]: _closed, ...rest } = opened;
      setOpened(rest);
      return;
    }
    if (!report.url) {
      setOpened(o => ({ ...o, [report.id]: { kind: 'failed' } }));
      return;
    }
    setOpened(o => ({ ...o, [report.id]: { kind: 'loading' } }));
    onOpenCheckup(report.url).then(
      document => setOpened(o => ({ ...o, [report.id]: { kind: 'shown', results: checkupResults(document) } })),
      () => setOpened(o => ({ ...o, [report.id]: { kind: 'failed' } })));
  };
  const institution = (code?: string) => (code ? names(code) ?? words.institutionWithCode(code) : '');
  const itemList = (items: Item[], empty: string, testId: string, showDetail = true) => items.length === 0
    ? <p class="empty">{empty}</p>
    : (
      <ul class="items" data-testid={testId}>
        {items.map(item => (
          <li key={item.id}>
            <span class="item-title">{item.title}</span>
            {showDetail && item.detail && <span class="item-detail">{item.detail}</span>}
            <span class="item-meta">
              {item.date && <span class="date" data-date-kind={item.dateKind}>
                {item.dateKind === 'onset' ? `${words.onsetDate}: ` : item.dateKind === 'recorded' ? `${words.recordedDate}: ` : ''}
                <time dateTime={item.date}>{formatDate(item.date, language)}</time>
              </span>}
              {item.institution && <span class="institution">{institution(item.institution)}</span>}
              {item.alsoFrom && <span class="also-from" data-testid="also-from">
                {words.alsoFrom(item.alsoFrom.map(institution).join(words.listSeparator))}
              </span>}
            </span>
          </li>
        ))}
      </ul>
    );
  const warnings = [
    ...records.contraindications.map(i => ({ ...i, kind: words.contraindication })),
    ...records.allergies.map(i => ({ ...i, kind: words.allergy })),
  ];

  return (
    <div class="records">
      <Section id="allergies" title={words.allergiesTitle} className="warning-panel">
        {warnings.length === 0 ? <p class="empty">{words.allergiesNone}</p> : (
          <ul class="items warnings" data-testid="allergies">
            {warnings.map(w => (
              <li key={w.id}>
                <strong class="badge">{w.kind}</strong>
                <span class="item-title">{w.title}</span>
                {w.detail && <span class="item-detail">{w.detail}</span>}
                <span class="item-meta">{w.institution && <span class="institution">{institution(w.institution)}</span>}</span>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="diagnoses" title={words.diagnosesTitle}>
        {itemList(records.diagnoses, words.diagnosesNone, 'diagnoses')}
      </Section>

      <form class="date-filter" data-testid="date-filter" aria-labelledby="date-filter-heading" onSubmit={e => e.preventDefault()}>
        <h2 id="date-filter-heading">{words.dateFilterTitle}</h2>
        <div class="date-inputs">
          <label>{words.dateFrom}
            <input type="date" data-testid="date-from" value={range.from ?? ''} max={range.to}
                   onInput={e => setRange(r => ({ ...r, from: (e.target as HTMLInputElement).value || undefined }))} />
          </label>
          <label>{words.dateTo}
            <input type="date" data-testid="date-to" value={range.to ?? ''} min={range.from}
                   onInput={e => setRange(r => ({ ...r, to: (e.target as HTMLInputElement).value || undefined }))} />
          </label>
          <button type="button" class="secondary" data-testid="date-reset" disabled={!filtering} onClick={() => setRange({})}>
            {words.dateReset}
          </button>
        </div>
        <p class="date-filter-state" role="status" aria-live="polite">{filtering ? words.dateFilterActive(period) : ''}</p>
      </form>

      <Section id="prescriptions" title={words.prescriptionsTitle}>
        {itemList(records.prescriptions, filtering ? words.dateFilterNone : words.prescriptionsNone, 'prescriptions')}
      </Section>

      <Section id="lab" title={words.labTitle}>
        {records.labSeries.length === 0 ? <p class="empty">{filtering ? words.dateFilterNone : words.labNone}</p> : (
          <div class="charts" data-testid="lab-charts">
            {records.labSeries.map(series => <LabChart key={series.key} series={series} words={words} language={language} />)}
          </div>
        )}
      </Section>

      <Section id="infection" title={words.infectionTitle}>
        {itemList(records.infections, words.infectionNone, 'infections')}
      </Section>

      <Section id="checkup" title={words.checkupTitle}>
        {records.checkups.length === 0 ? <p class="empty">{words.checkupNone}</p> : (
          <ul class="items" data-testid="checkups">
            {records.checkups.map(report => {
              const state = opened[report.id];
              const on = formatDate(report.date, language);
              return (
                <li key={report.id} class="checkup" data-testid="checkup">
                  <span class="item-title">{words.checkupOn(on)}</span>
                  <span class="item-meta">{report.institution && <span class="institution">{institution(report.institution)}</span>}</span>
                  <button type="button" class="secondary" data-testid="open-checkup" aria-expanded={state ? 'true' : 'false'}
                          aria-label={state ? words.checkupClose : words.checkupOpenLabel(on)} onClick={() => toggle(report)}>
                    {state ? words.checkupClose : words.checkupOpen}
                  </button>
                  {state?.kind === 'loading' && <p class="empty" aria-busy="true">{words.checkupLoading}</p>}
                  {state?.kind === 'failed' && <p class="problem-message" role="alert">{words.errorOther}</p>}
                  {state?.kind === 'shown' && <CheckupReport results={state.results} words={words} language={language} />}
                </li>
              );
            })}
          </ul>
        )}
      </Section>
    </div>
  );
}

function Section({ id, title, className, children }: { id: string; title: string; className?: string; children: ComponentChildren }) {
  return (
    <section class={className} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}
