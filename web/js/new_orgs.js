// The 两新组织 pages: the registry of new economic and social organisations with its filters
// ("#/new-organisations?coverage=none"), registering one ("#/new-organisations/new"), a
// township's or county's work list of the uncovered ("#/new-organisations/worklist/210102001"),
// one organisation with its recommendation, coverage and links ("#/new-organisations/7",
// new_org.js), one executive member's link with its visits ("#/new-organisations/links/3"),
// and the coverage of a region by child region ("#/new-organisations/statistics/210102").
import { api } from './api.js';
import { rateChart } from './chart.js';
import { el, exportLinks } from './dom.js';
import { checkbox, clearErrors, field, input, readForm, select, showError, whileBusy } from './forms.js';
import {
  CONDITION_NAMES, COVERAGE_NAMES, NEW_ORG_KIND_NAMES, PARTY_RATING_NAMES, RECOMMENDATION_NAMES, nameIn,
} from './labels.js';
import { renderLink, renderNewOrg } from './new_org.js';
import { breadcrumbs } from './regions.js';

const ID = /^[1-9]\d{0,17}$/;
const CODE = /^(\d{6}|\d{9})$/;
const PAGE_SIZE = 50;
const isClerk = (me) => me.roles.includes('clerk');

function orgRow(org) {
  return el('tr', {},
    el('td', {}, el('a', { href: `#/new-organisations/${org.id}` }, org.name)),
    el('td', {}, org.region_name || org.region),
    el('td', {}, nameIn(NEW_ORG_KIND_NAMES, org.kind)),
    el('td', { class: 'number' }, `${org.female_employees} / ${org.employees}`),
    el('td', {}, nameIn(PARTY_RATING_NAMES, org.party_rating)),
    el('td', {}, nameIn(RECOMMENDATION_NAMES, org.recommendation?.kind)),
    el('td', {}, nameIn(COVERAGE_NAMES, org.coverage?.state)));
}

function orgTable(label, items) {
  return el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': label },
    el('thead', {}, el('tr', {}, ['名称', '登记地', '类别', '女职工/职工', '党组织评定', '建议', '覆盖']
      .map((h) => el('th', {}, h)))),
    el('tbody', {}, items.map(orgRow))));
}

// pages(hash, query, page): 第一页 and 下一页 links that keep the query.
function pages(hash, query, page) {
  const links = [];
  if (query.has('cursor')) {
    const first = new URLSearchParams(query);
    first.delete('cursor');
    links.push(el('a', { href: `${hash}${String(first) ? `?${first}` : ''}` }, '第一页'));
  }
  if (page.next_cursor) {
    const next = new URLSearchParams(query);
    next.set('cursor', page.next_cursor);
    links.push(el('a', { href: `${hash}?${next}` }, '下一页'));
  }
  return links.length ? el('nav', { class: 'pages', 'aria-label': '翻页' }, links) : null;
}

async function renderRegistry(view, me, query) {
  const filters = new URLSearchParams([...query].filter(([k, v]) => v && ['coverage', 'kind', 'rating', 'name', 'cursor'].includes(k)));
  const form = el('form', { role: 'search', 'aria-label': '筛选', class: 'filters' },
    field('覆盖', select('coverage', COVERAGE_NAMES, filters.get('coverage'), '不限')),
    field('类别', select('kind', NEW_ORG_KIND_NAMES, filters.get('kind'), '不限')),
    field('党组织评定', select('rating', PARTY_RATING_NAMES, filters.get('rating'), '不限')),
    field('名称', input('name', filters.get('name'), { maxlength: 100 })),
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, '查询')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = readForm(form);
    const next = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== null));
    window.location.hash = `#/new-organisations${String(next) ? `?${next}` : ''}`;
  });
  const links = [el('a', { href: `#/new-organisations/worklist/${me.region}` }, '未覆盖工作清单'),
    el('a', { href: `#/new-organisations/statistics/${me.region}` }, '覆盖统计')];
  if (isClerk(me)) {
    links.unshift(el('a', { href: '#/new-organisations/new' }, '登记新组织'));
    links.push(el('a', { href: '#/import?kind=new-organisations' }, '批量导入'));
  }
  view.append(el('p', { class: 'actions' }, links), form);
  const page = await api('GET', `/new-organisations?${filters}&limit=${PAGE_SIZE}`);
  view.append(page.items.length ? orgTable('两新组织', page.items) : el('p', { class: 'muted' }, '没有符合条件的组织。'),
    pages('#/new-organisations', filters, page), exportLinks('/api/v1/new-organisations/export', filters));
}

// The uncovered organisations of a township or county, in the order the rules give: Party
// organisations rated excellent first, then up to standard, then the rest.
async function renderWorklist(view, me, code, query) {
  if (!CODE.test(code)) {
    view.append(el('p', { class: 'notice error' }, '工作清单按乡镇（街道）或县（区）列出：请从该级区划打开。'));
    return;
  }
  const cursor = query.get('cursor');
  let page;
  try {
    page = await api('GET', `/new-organisations/worklist?region=${code}&limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'));
    return;
  }
  view.append(el('h2', {}, '未覆盖工作清单'),
    el('p', { class: 'muted' }, '尚未建立妇委会、也没有妇女工作联络员的组织，党组织评定为优秀的在前，其次为达标。'),
    page.items.length ? orgTable('工作清单', page.items) : el('p', { class: 'muted' }, '没有未覆盖的组织。'),
    pages(`#/new-organisations/worklist/${code}`, new URLSearchParams(cursor ? { cursor } : {}), page));
}

function registerForm(me) {
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const submit = el('button', { type: 'submit' }, '登记');
  const form = el('form', { class: 'edit', 'aria-label': '登记新组织', novalidate: true },
    field('名称', input('name', '', { maxlength: 200 })),
    field('统一社会信用代码', input('credit_code', '', { maxlength: 18, spellcheck: 'false', autocomplete: 'off' }), '18 位'),
    field('类别', select('kind', NEW_ORG_KIND_NAMES, 'economic')),
    field('行业', input('sector', '', { maxlength: 60 })),
    field('登记地区划代码', input('region', me.region.length === 6 || me.region.length === 9 ? me.region : '',
      { maxlength: 9, inputmode: 'numeric' }), '乡镇（街道）9 位或县（区）6 位'),
    field('固定职工人数', input('employees', '', { type: 'number', min: 0 })),
    field('其中女职工', input('female_employees', '', { type: 'number', min: 0 })),
    field('党组织评定', select('party_rating', PARTY_RATING_NAMES, 'none')),
    el('fieldset', {}, el('legend', {}, '两稳一适'),
      Object.entries(CONDITION_NAMES).map(([name, label]) => checkbox(name, false, label))),
    field('联系人', input('contact_name', '', { maxlength: 64 })),
    field('联系电话', input('contact_phone', '', { type: 'tel', maxlength: 20 })),
    notice, el('div', { class: 'actions' }, submit, el('a', { href: '#/new-organisations' }, '取消')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form, notice);
    const body = Object.fromEntries(Object.entries(readForm(form)).filter(([, v]) => v !== null));
    await whileBusy(submit, async () => {
      try {
        const org = await api('POST', '/new-organisations', { body });
        window.location.hash = `#/new-organisations/${org.id}`;
      } catch (error) {
        showError(form, notice, error);
      }
    });
  });
  return form;
}

// Coverage of a region by child region: new organisations, with a committee or a liaison
// officer, uncovered, the rates, links per executive member and visit compliance.
async function renderCoverage(view, me, code) {
  let data, region;
  try {
    [data, region] = await Promise.all([api('GET', `/new-organisations/statistics?region=${code}`),
      api('GET', `/regions/${code}`)]);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'));
    return;
  }
  const url = (c) => `#/new-organisations/statistics/${c}`;
  const percent = (rate) => (rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`);
  // New organisations are registered at a county or a township: nothing to drill to below.
  const drill = ['province', 'city', 'county'].includes(region.level);
  const row = (r, name) => el('tr', { class: name === '合计' ? 'total' : null },
    el('th', { scope: 'row' }, name ?? (drill ? el('a', { href: url(r.region) }, r.name || r.region) : r.name || r.region)),
    [r.new_organisations, r.with_committee, r.with_liaison_officer, r.uncovered].map((n) => el('td', { class: 'number' }, String(n))),
    [r.formation_rate, r.coverage_rate].map((x) => el('td', { class: 'number' }, percent(x))),
    el('td', { class: 'number' }, r.links_per_executive_member ?? '—'),
    el('td', { class: 'number' }, percent(r.visit_compliance)));
  const names = data.children.map((r) => r.name || r.region);
  const chart = data.children.length ? await rateChart('各下级区划覆盖情况', names, [
    ['建会率', data.children.map((r) => r.formation_rate)],
    ['覆盖率', data.children.map((r) => r.coverage_rate)],
    ['走访达标率', data.children.map((r) => r.visit_compliance)]]) : '';
  view.append(breadcrumbs(region, me, url), el('h2', {}, `${region.name} · 两新组织覆盖统计`),
    el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '覆盖统计' },
      el('thead', {}, el('tr', {}, ['区划', '两新组织', '已建妇委会', '已有联络员', '未覆盖', '建会率', '覆盖率',
        '执委人均联系', '走访达标率'].map((h) => el('th', {}, h)))),
      el('tbody', {}, data.children.map((r) => row(r)), row(data.registered_here, `${region.name}本级`),
        row(data.total, '合计')))),
    el('p', { class: 'actions' },
      el('a', { href: `/api/v1/new-organisations/statistics/report?region=${code}`, download: '' }, '下载报表（XLSX）')),
    chart);
  if (chart) chart.draw();
}

export async function renderNewOrgs(view, me, params, query) {
  const [first, second] = params;
  if (first === undefined || first === '') return renderRegistry(view, me, query);
  if (first === 'new') {
    view.append(el('h2', {}, '登记新组织'), isClerk(me) ? registerForm(me) : el('p', { class: 'notice error' }, '登记需要“录入”权限。'));
    return undefined;
  }
  if (first === 'worklist') return renderWorklist(view, me, second || me.region, query);
  if (first === 'statistics') return renderCoverage(view, me, /^\d{2,12}$/.test(second || '') ? second : me.region);
  if (first === 'links' && ID.test(second || '')) return renderLink(view, me, second);
  if (ID.test(first)) return renderNewOrg(view, me, first);
  view.append(el('p', { class: 'notice error' }, '地址有误。'), el('p', {}, el('a', { href: '#/new-organisations' }, '返回两新组织')));
  return undefined;
}
