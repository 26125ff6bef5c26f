// Bar charts of rates by child region, with Apache ECharts (from npm, served by nginx as
// /vendor/echarts.js), loaded only by the pages that draw one.
import { el } from './dom.js';

// rateChart(title, names, series): a section titled title with one bar per series and name;
// series is [[label, rates]], rates from 0 to 1 (null: nothing to divide by), one per name.
// Call draw() on the answer once it is in the page: ECharts takes its size from the layout.
// ECharts writes an aria-label describing the data on the chart's element, and draws the
// tooltips in the canvas (renderMode richText): its HTML tooltips carry inline styles, which
// the site's Content-Security-Policy refuses.
export async function rateChart(title, names, series) {
  const node = el('div', { class: 'chart' });
  const holder = el('section', { 'aria-label': title }, el('h3', {}, title), node);
  const echarts = await import('/vendor/echarts.js');
  holder.draw = () => {
    const chart = echarts.init(node);
    chart.setOption({
      aria: { enabled: true },
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText', valueFormatter: (v) => `${v}%` },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 40, bottom: 80 },
      xAxis: { type: 'category', data: names, axisLabel: { rotate: names.length > 8 ? 45 : 0 } },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      series: series.map(([name, rates]) => ({
        name,
        type: 'bar',
        data: rates.map((rate) => (rate === null || rate === undefined ? null : Math.round(rate * 1000) / 10)),
      })),
    });
    window.addEventListener('resize', () => chart.resize());
  };
  return holder;
}
