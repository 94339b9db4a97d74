/** One line of a line chart: y per x position (null leaves a gap). */
export interface Series {
  name: string;
  values: ReadonlyArray<number | null>;
}

export interface LineChartSpec {
  title: string;
  xLabels: readonly string[];
  yLabel: string;
  series: readonly Series[];
  /** Fixed y range; default [0, max of the data rounded up]. */
  yRange?: [number, number];
}

export interface BarChartSpec {
  title: string;
  /** One group of bars per category (e.g. per stage). */
  categories: readonly string[];
  yLabel: string;
  /** One bar per series in each category. */
  series: readonly Series[];
}

const WIDTH = 720;
const HEIGHT = 400;
const MARGIN = { left: 64, right: 190, top: 40, bottom: 48 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
/** Colour-blind-safe palette (Okabe-Ito) plus greys for more series. */
const COLOURS = [
  '#000000',
  '#E69F00',
  '#56B4E9',
  '#009E73',
  '#F0E442',
  '#0072B2',
  '#D55E00',
  '#CC79A7',
  '#999999',
  '#666666',
];
const TICKS = 5;

/** A standalone SVG line chart: one polyline with point markers per series, legend on the right. */
export function lineChart(spec: LineChartSpec): string {
  const [yMin, yMax] = spec.yRange ?? [0, niceMax(spec.series.flatMap((s) => s.values))];
  const x = (i: number) =>
    MARGIN.left + (spec.xLabels.length <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (spec.xLabels.length - 1));
  const y = (v: number) => MARGIN.top + PLOT_H - ((v - yMin) / (yMax - yMin || 1)) * PLOT_H;
  const lines = spec.series.map((series, s) => {
    const colour = colourOf(s);
    const points = series.values.flatMap((v, i) => (v === null ? [] : [[x(i), y(v)] as const]));
    const path = points.map(([px, py]) => `${fmt(px)},${fmt(py)}`).join(' ');
    const dash = s >= COLOURS.length ? ' stroke-dasharray="6 3"' : '';
    const markers = points
      .map(([px, py]) => `<circle cx="${fmt(px)}" cy="${fmt(py)}" r="3" fill="${colour}"/>`)
      .join('');
    return `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash} points="${path}"/>${markers}`;
  });
  const xTicks = spec.xLabels.map((label, i) => text(x(i), HEIGHT - MARGIN.bottom + 18, label, 'middle'));
  return frame(
    spec.title,
    spec.yLabel,
    yAxis(yMin, yMax, y) + xTicks.join('') + lines.join('') + legend(spec.series),
  );
}

/** A standalone SVG grouped bar chart: one group per category, one bar per series. */
export function barChart(spec: BarChartSpec): string {
  const yMax = niceMax(spec.series.flatMap((s) => s.values));
  const y = (v: number) => MARGIN.top + PLOT_H - (v / (yMax || 1)) * PLOT_H;
  const groupW = PLOT_W / Math.max(1, spec.categories.length);
  const barW = (groupW * 0.8) / Math.max(1, spec.series.length);
  const bars = spec.categories.flatMap((category, c) =>
    spec.series.map((series, s) => {
      const value = series.values[c] ?? 0;
      const bx = MARGIN.left + c * groupW + groupW * 0.1 + s * barW;
      const title = `<title>${escapeXml(`${series.name}, ${category}: ${value}`)}</title>`;
      return `<rect x="${fmt(bx)}" y="${fmt(y(value))}" width="${fmt(barW)}" height="${fmt(y(0) - y(value))}" fill="${colourOf(s)}">${title}</rect>`;
    }),
  );
  const labels = spec.categories.map((category, c) =>
    text(MARGIN.left + (c + 0.5) * groupW, HEIGHT - MARGIN.bottom + 18, category, 'middle'),
  );
  return frame(
    spec.title,
    spec.yLabel,
    yAxis(0, yMax, y) + bars.join('') + labels.join('') + legend(spec.series),
  );
}

function frame(title: string, yLabel: string, body: string): string {
  const axes =
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + PLOT_H}" stroke="#333"/>` +
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + PLOT_H}" x2="${MARGIN.left + PLOT_W}" y2="${MARGIN.top + PLOT_H}" stroke="#333"/>`;
  const yTitle = `<text transform="translate(16 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">` +
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>` +
    text(WIDTH / 2, 22, title, 'middle', 'font-size="15" font-weight="bold"') +
    axes +
    yTitle +
    body +
    `</svg>\n`
  );
}

function yAxis(min: number, max: number, y: (v: number) => number): string {
  return Array.from({ length: TICKS + 1 }, (_, i) => {
    const value = min + ((max - min) * i) / TICKS;
    const py = fmt(y(value));
    return (
      `<line x1="${MARGIN.left}" y1="${py}" x2="${MARGIN.left + PLOT_W}" y2="${py}" stroke="#e5e5e5"/>` +
      text(MARGIN.left - 6, y(value) + 4, tickLabel(value), 'end')
    );
  }).join('');
}

function legend(series: readonly Series[]): string {
  const left = MARGIN.left + PLOT_W + 16;
  return series
    .map((s, i) => {
      const top = MARGIN.top + i * 18;
      return (
        `<rect x="${left}" y="${top}" width="12" height="12" fill="${colourOf(i)}"/>` +
        text(left + 18, top + 10, s.name, 'start')
      );
    })
    .join('');
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', extra = ''): string {
  return `<text x="${fmt(x)}" y="${fmt(y)}" text-anchor="${anchor}"${extra ? ` ${extra}` : ''}>${escapeXml(content)}</text>`;
}

function colourOf(i: number): string {
  return COLOURS[i % COLOURS.length]!;
}

/** The smallest of 1, 2, 2.5, 5 x 10^k at or above the data's maximum (1 for no data). */
function niceMax(values: ReadonlyArray<number | null>): number {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (max === 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].find((step) => step * magnitude >= max) ?? 10) * magnitude;
}

function tickLabel(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(Math.abs(value) < 1 ? 2 : 1);
}

function fmt(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
}
