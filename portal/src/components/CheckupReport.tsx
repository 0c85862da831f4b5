// One checkup report opened: its results, section by section, with the reference range and values outside it marked
// (in words and not by colour alone), as the patient's paper report prints them.
import type { CheckupResults } from '../checkup';
import { formatDate, Language, Words } from '../i18n';

export function CheckupReport({ results, words, language }: { results: CheckupResults; words: Words; language: Language }) {
  const flagWord = { high: words.flagHigh, low: words.flagLow, abnormal: words.flagAbnormal };
  if (results.sections.length === 0) {
    return <p class="empty">{words.checkupNoResults}</p>;
  }
  return (
    <div class="checkup-results" data-testid="checkup-results">
      {results.title && <h3>{results.title}{results.date && <> <time dateTime={results.date}>{formatDate(results.date, language)}</time></>}</h3>}
      {results.sections.map(section => (
        <table key={section.title} class="checkup-section" data-testid="checkup-section">
          <caption>{section.title}</caption>
          <thead>
            <tr><th scope="col">{words.checkupItem}</th><th scope="col">{words.value}</th><th scope="col">{words.referenceRange}</th></tr>
          </thead>
          <tbody>
            {section.rows.map(row => (
              <tr key={row.id} class={row.flag ? 'out' : ''} data-testid="checkup-row" data-flag={row.flag}>
                <th scope="row" class="checkup-item">{row.name}</th>
                <td class="checkup-value">{row.value}{row.flag && <strong class="flag"> {flagWord[row.flag]}</strong>}</td>
                <td class="checkup-range">{row.range ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
