import { h, svg, label } from '../dom.js';

// Progress per component as a horizontal stacked bar chart (SVG), one bar per component of
// the Plan, one segment per status. Each segment has a pattern-free colour plus its count as
// text, and the whole chart has a table twin for screen readers.

const STATUSES = ['adopted', 'consensusReached', 'underConsideration', 'drafting', 'blocked', 'withdrawn'];
const COLOURS = { adopted: '#1b7f3b', consensusReached: '#5aa469', underConsideration: '#2f6db5', drafting: '#8a94a6', blocked: '#b3261e', withdrawn: '#d0d4dc' };

export function progressChart(components) {
  const width = 640;
  const barHeight = 22;
  const labelWidth = 230;
  const rowHeight = 38;
  const max = Math.max(1, ...components.map((c) => STATUSES.reduce((n, s) => n + c.counts[s], 0)));
  const scale = (width - labelWidth - 40) / max;
  const height = components.length * rowHeight + 4;
  const rows = components.map((c, i) => {
    const y = i * rowHeight + 8;
    let x = labelWidth;
    const total = STATUSES.reduce((n, s) => n + c.counts[s], 0);
    const segments = STATUSES.filter((s) => c.counts[s] > 0).map((s) => {
      const w = c.counts[s] * scale;
      const seg = svg('g', {},
        svg('rect', { x, y, width: w, height: barHeight, fill: COLOURS[s] }, svg('title', {}, `${label(s)}: ${c.counts[s]}`)),
        w >= 14 ? svg('text', { x: x + w / 2, y: y + 15, 'text-anchor': 'middle', class: 'seg-label', fill: s === 'withdrawn' ? '#222' : '#fff' }, c.counts[s]) : null);
      x += w;
      return seg;
    });
    return svg('g', { 'data-component': c.component.id },
      svg('text', { x: 0, y: y + 15, class: 'bar-label' }, `${c.component.number}. ${c.component.title}`),
      segments,
      svg('text', { x: x + 6, y: y + 15, class: 'bar-total' }, total));
  });
  const legend = h('ul', { class: 'chart-legend' }, STATUSES.map((s) =>
    h('li', {}, h('span', { class: 'swatch', style: `background:${COLOURS[s]}`, 'aria-hidden': 'true' }), label(s))));
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'chart-desc', class: 'chart' },
    svg('desc', { id: 'chart-desc' }, 'Proposals per component of the Plan of Action by status; the table below gives the same figures.'),
    rows);
  const table = h('table', { class: 'sr-only' },
    h('caption', {}, 'Proposals per component by status'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Component'), STATUSES.map((s) => h('th', { scope: 'col' }, label(s))))),
    h('tbody', {}, components.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.component.title), STATUSES.map((s) => h('td', {}, c.counts[s]))))));
  return [chart, legend, table];
}
