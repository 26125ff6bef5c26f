// The 统计 page ("#/statistics/210102"): the figures the federations report for a region of the
// user's jurisdiction, one row per child region with a link to drill down to it, the region's
// own row and the total, and a chart of the rates by child region (Apache ECharts, loaded only
// on this page).
import { api } from './api.js';
import { rateChart } from './chart.js';
import { el } from './dom.js';
import { levelBelow, levelName } from './labels.js';
import { breadcrumbs } from './regions.js';

const CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

const statisticsUrl = (code) => `#/statistics/${code}`;

function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

// The columns of the table: heading and how a row's figures show in it.
const COLUMNS = [
  ['组织', (f) => f.organisations.total],
  ['建会率', (f) => percent(f.formation.total.rate)],
  ['会改联', (f) => f.conversion.converted],
  ['主席', (f) => f.offices.chair],
  ['副主席', (f) => f.offices.vice_chair_full_time + f.offices.vice_chair_part_time],
  ['执委', (f) => f.offices.executive_member],
  ['村(社区)主席进两委', (f) => percent(f.village_chairs.share)],
  ['干部', (f) => f.cadres.total],
  ['党员比例', (f) => percent(f.cadres.party_share)],
  ['近两年培训率', (f) => percent(f.cadres.trained_share)],
  ['本年新增', (f) => f.cadres.added_this_year],
];

// The rates the chart compares across the child regions.
const RATES = [
  ['建会率', (f) => f.formation.total.rate],
  ['主席进两委', (f) => f.village_chairs.share],
  ['近两年培训率', (f) => f.cadres.trained_share],
];

function row(name, figures, heading = false) {
  const cells = COLUMNS.map(([, value]) => el('td', { class: 'number' }, String(value(figures))));
  return el('tr', { class: heading ? 'total' : null }, el('th', { scope: 'row' }, name), cells);
}

// One row per child region (linked where it has children of its own to drill down to), then
// the region's own row and the total.
function figuresTable(stats, childLevel) {
  const drill = childLevel !== 'village';
  const rows = stats.children.map((child) =>
    row(drill ? el('a', { href: statisticsUrl(child.code) }, child.name || child.code) : child.name || child.code,
      child.figures));
  rows.push(row(`${stats.region.name}本级`, stats.own.figures), row('合计', stats.total.figures, true));
  return el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '统计表' },
    el('thead', {}, el('tr', {}, el('th', {}, levelName(childLevel) ? `${levelName(childLevel)}级区划` : '区划'),
      COLUMNS.map(([heading]) => el('th', {}, heading)))),
    el('tbody', {}, rows)));
}


// The same figures as an XLSX report for filing (table number, region, date, Chinese headers).
const report = (code) => el('p', { class: 'actions' },
  el('a', { href: `/api/v1/statistics/${code}/report`, download: '' }, '下载报表（XLSX）'));

export async function renderStatistics(view, me, params) {
  const code = params[0] || me.region;
  if (!CODE.test(code)) {
    view.append(el('p', { class: 'notice error' }, '区划代码应为 2、4、6、9 或 12 位数字。'));
    return;
  }
  let stats, region;
  try {
    [stats, region] = await Promise.all([api('GET', `/statistics/${code}`), api('GET', `/regions/${code}`)]);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'),
      el('p', {}, el('a', { href: statisticsUrl(me.region) }, `返回${me.region_name || '本辖区'}`)));
    return;
  }
  const childLevel = levelBelow(region.level);
  view.append(
    breadcrumbs(region, me, statisticsUrl),
    el('h2', {}, region.name, ' ', el('span', { class: 'muted' }, `${levelName(region.level)}级 · 截至 ${stats.as_of}`)));
  if (!childLevel) {
    view.append(el('p', { class: 'muted' }, '村(社区)没有下级区划；本级数字如下。'), figuresTable(stats, null), report(code));
    return;
  }
  view.append(figuresTable(stats, childLevel), report(code));
  if (stats.children.length > 0) {
    const chart = await rateChart('各下级区划比率', stats.children.map((child) => child.name || child.code),
      RATES.map(([label, value]) => [label, stats.children.map((child) => value(child.figures))]));
    view.append(chart);
    chart.draw();
  }
}
