// One lab test over time: a line through the results, the reference range as a band, results outside it marked.
// Drawn as SVG (no canvas): crisp on any screen, readable by screen readers through its table.
import type { LabSeries } from '../records';
import { formatDate, Language, Words } from '../i18n';

const WIDTH = 320;
const HEIGHT = 150;
const PAD = { left: 40, right: 16, top: 14, bottom: 28 };

export function LabChart({ series, words, language }: { series: LabSeries; words: Words; language: Language }) {
  const values = series.points.map(p => p.value);
  const bounds = [...values, ...(series.low !== undefined ? [series.low] : []), ...(series.high !== undefined ? [series.high] : [])];
  let min = Math.min(...bounds);
  let max = Math.max(...bounds);
  const margin = (max - min) * 0.15 || Math.abs(max) * 0.1 || 1;
  min -= margin;
  max += margin;
  const times = series.points.map(p => new Date(p.date).getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const x = (t: number) => PAD.left + (last === first ? (WIDTH - PAD.left - PAD.right) / 2
    : ((t - first) / (last - first)) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (HEIGHT - PAD.top - PAD.bottom);
  const title = words.chartOf(series.name);
  const line = series.points.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const tableId = `lab-table-${series.key.replace(/[^A-Za-z0-9]/g, '-')}`;

  return (
    <figure class="lab-chart" data-test-code={series.key}>
      <figcaption>
        <span class="lab-name">{series.name}</span>
        {series.unit && <span class="lab-unit">（{series.unit}）</span>}
        {(series.low !== undefined || series.high !== undefined) && (
          <span class="lab-range">{words.referenceRange}: {series.low ?? ''}–{series.high ?? ''}</span>
        )}
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={title} aria-describedby={tableId}>
        <title>{title}</title>
        {series.low !== undefined && series.high !== undefined && (
          <rect class="range-band" x={PAD.left} width={WIDTH - PAD.left - PAD.right}
                y={y(series.high)} height={Math.max(0, y(series.low) - y(series.high))} />
        )}
        <line class="axis" x1={PAD.left} y1={HEIGHT - PAD.bottom} x2={WIDTH - PAD.right} y2={HEIGHT - PAD.bottom} />
        <line class="axis" x1={PAD.left} y1={PAD.top} x2={PAD.left} y2={HEIGHT - PAD.bottom} />
        <text class="tick" x={PAD.left - 6} y={y(max - margin) + 3} text-anchor="end">{round(max - margin)}</text>
        <text class="tick" x={PAD.left - 6} y={y(min + margin) + 3} text-anchor="end">{round(min + margin)}</text>
        <polyline class="trend" points={line} />
        {series.points.map((p, i) => (
          <g key={p.date}>
            <circle class={p.outOfRange ? 'point out' : 'point'} cx={x(times[i])} cy={y(p.value)} r={p.outOfRange ? 5 : 4}>
              <title>{`${formatDate(p.date, language)}: ${p.value} ${series.unit}${p.outOfRange ? ` (${words.outOfRange})` : ''}`}</title>
            </circle>
            <text class="tick" x={x(times[i])} y={HEIGHT - 8}
                  text-anchor={series.points.length === 1 ? 'middle' : i === 0 ? 'start' : i === series.points.length - 1 ? 'end' : 'middle'}>
              {shortDate(p.date)}
            </text>
          </g>
        ))}
      </svg>
      <table class="lab-values" id={tableId}>
        <thead><tr><th scope="col">{words.date}</th><th scope="col">{words.value}</th></tr></thead>
        <tbody>
          {series.points.map(p => (
            <tr key={p.date} class={p.outOfRange ? 'out' : ''}>
              <td>{formatDate(p.date, language)}</td>
              <td>{p.value} {series.unit}{p.outOfRange && <strong class="flag"> {words.outOfRange}</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function round(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso.slice(0, 10) : `${d.getFullYear()}/${d.getMonth() + 1}`;
}
