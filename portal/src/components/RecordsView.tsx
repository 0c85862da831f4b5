// The patient's own records: allergies and contraindications first (what a doctor must never miss), then
// diagnoses, prescriptions, lab trends, infections and checkup reports. Never referral letters or discharge
// summaries (they are for institutions); items the gateway keeps from the patient never arrive here.
import type { Item, Records } from '../records';
import { formatDate, Language, Words } from '../i18n';
import type { Directory } from '../institutions';
import { LabChart } from './LabChart';
import type { ComponentChildren } from 'preact';

interface Props { records: Records; words: Words; language: Language; names: Directory }

export function RecordsView({ records, words, language, names }: Props) {
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

      <Section id="prescriptions" title={words.prescriptionsTitle}>
        {itemList(records.prescriptions, words.prescriptionsNone, 'prescriptions')}
      </Section>

      <Section id="lab" title={words.labTitle}>
        {records.labSeries.length === 0 ? <p class="empty">{words.labNone}</p> : (
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
            {records.checkups.map(report => (
              <li key={report.id}>
                <span class="item-title">{words.checkupOn(formatDate(report.date, language))}</span>
                <span class="item-meta">{report.institution && <span class="institution">{institution(report.institution)}</span>}</span>
              </li>
            ))}
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
