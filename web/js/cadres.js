// The 干部名册 pages: the roster of current office holders ("#/cadres?role=chair&..."), one
// cadre ("#/cadres/7", cadre.js) and a new cadre ("#/cadres/new?organisation=42", cadre_new.js).
// The roster's filters live in the address, so a filtered page can be reloaded, bookmarked and
// gone back to; 下一页 adds the server's cursor to it.
import { api } from './api.js';
import { el, exportLinks } from './dom.js';
import { field, input, select, showError } from './forms.js';
import {
  EDUCATION_NAMES, GENDER_NAMES, KIND_NAMES, LEVEL_NAMES, OFFICE_NAMES, POLITICAL_NAMES, nameIn,
} from './labels.js';
import { renderCadre } from './cadre.js';
import { renderNewCadre } from './cadre_new.js';

const PAGE_SIZE = 50;
const ID = /^[1-9]\d{0,17}$/;

const LEVELS = Object.fromEntries(Object.entries(LEVEL_NAMES).map(([code, name]) => [code, `${name}级`]));
const SORTS = { region: '按区划', name: '按姓名', start_date: '按任职日期' };
const YES_NO = { true: '是', false: '否' };

// The filters, as query parameters of the roster API and of the page's address.
const FILTERS = [
  { name: 'name', label: '姓名', control: (v) => input('name', v, { maxlength: 64, placeholder: '姓名开头' }) },
  { name: 'under', label: '区划代码', control: (v, me) => input('under', v, { maxlength: 12, placeholder: me.region, inputmode: 'numeric' }) },
  { name: 'kind', label: '组织类型', control: (v) => select('kind', KIND_NAMES, v, '不限') },
  { name: 'level', label: '组织级别', control: (v) => select('level', LEVELS, v, '不限') },
  { name: 'role', label: '职务', control: (v) => select('role', OFFICE_NAMES, v, '不限') },
  { name: 'full_time', label: '专兼职', control: (v) => select('full_time', { true: '专职', false: '兼职' }, v, '不限') },
  { name: 'in_two_committees', label: '进两委', control: (v) => select('in_two_committees', YES_NO, v, '不限') },
  { name: 'training_due', label: '培训', control: (v) => select('training_due', { true: '待培训', false: '已按期培训' }, v, '不限') },
  { name: 'age_min', label: '最小年龄', control: (v) => input('age_min', v, { type: 'number', min: 0, max: 150 }) },
  { name: 'age_max', label: '最大年龄', control: (v) => input('age_max', v, { type: 'number', min: 0, max: 150 }) },
  { name: 'education', label: '学历', control: (v) => select('education', EDUCATION_NAMES, v, '不限') },
  { name: 'party_member', label: '党员', control: (v) => select('party_member', YES_NO, v, '不限') },
  { name: 'sort', label: '排序', control: (v) => select('sort', SORTS, v || 'region') },
];

// The address's query with only the known filters (and the cursor), empty ones left out.
function rosterQuery(query) {
  const out = new URLSearchParams();
  for (const { name } of FILTERS) {
    const value = (query.get(name) || '').trim();
    if (value) out.set(name, value);
  }
  if (query.get('cursor')) out.set('cursor', query.get('cursor'));
  return out;
}

function filterForm(me, query, notice) {
  const form = el('form', { class: 'filters', 'aria-label': '筛选', role: 'search', novalidate: true },
    FILTERS.map((f) => field(f.label, f.control(query.get(f.name) || '', me))),
    notice,
    el('div', { class: 'actions' },
      el('button', { type: 'submit' }, '查询'),
      el('a', { href: '#/cadres' }, '清除条件')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const { name } of FILTERS) {
      const value = form.elements.namedItem(name).value.trim();
      if (value && !(name === 'sort' && value === 'region')) next.set(name, value);
    }
    const hash = `#/cadres${String(next) ? `?${next}` : ''}`;
    // The same address again (a repeated 查询) fires no hashchange: draw the page anyway.
    if (window.location.hash === hash) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else window.location.hash = hash;
  });
  return form;
}

function rosterRow(item) {
  return el('tr', {},
    el('td', {}, el('a', { href: `#/cadres/${item.person_id}` }, item.name)),
    el('td', {}, nameIn(GENDER_NAMES, item.gender)),
    el('td', { class: 'number' }, String(item.age ?? '')),
    el('td', {}, el('a', { href: `#/organisations/${item.organisation_id}` }, item.organisation_name)),
    el('td', {}, nameIn(OFFICE_NAMES, item.role)),
    el('td', {}, item.full_time ? '专职' : '兼职'),
    el('td', {}, item.in_two_committees ? '是' : '否'),
    el('td', {}, nameIn(EDUCATION_NAMES, item.education)),
    el('td', {}, nameIn(POLITICAL_NAMES, item.political_status)),
    el('td', { class: 'code' }, item.id_number || ''),
    el('td', { class: 'code' }, item.mobile || ''),
    el('td', {}, item.start_date),
    el('td', {}, item.last_training_on || '无',
      item.training_due ? [' ', el('span', { class: 'tag' }, '待培训')] : null));
}

async function renderRoster(view, me, query) {
  const filters = rosterQuery(query);
  const notice = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const form = filterForm(me, filters, notice);
  view.append(form);
  if (me.roles.includes('clerk')) view.append(el('p', {}, el('a', { href: '#/cadres/new' }, '添加干部')));
  let page;
  try {
    page = await api('GET', `/roster?${filters}&limit=${PAGE_SIZE}`);
  } catch (error) {
    // A filter the server refuses (an age of 200) is shown at its field.
    if (error.status !== 400) throw error;
    showError(form, notice, error);
    return;
  }
  if (page.items.length === 0) {
    view.append(el('p', { class: 'muted' }, filters.has('cursor') ? '没有更多记录。' : '没有符合条件的干部。'));
  } else {
    view.append(el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '干部名册' },
      el('thead', {}, el('tr', {}, ['姓名', '性别', '年龄', '组织', '职务', '专兼职', '进两委', '学历',
        '政治面貌', '身份证号', '手机号', '任职日期', '最近培训'].map((h) => el('th', {}, h)))),
      el('tbody', {}, page.items.map(rosterRow)))));
  }
  const links = [];
  if (filters.has('cursor')) {
    const first = new URLSearchParams(filters);
    first.delete('cursor');
    links.push(el('a', { href: `#/cadres${String(first) ? `?${first}` : ''}` }, '第一页'));
  }
  if (page.next_cursor) {
    const next = new URLSearchParams(filters);
    next.set('cursor', page.next_cursor);
    links.push(el('a', { href: `#/cadres?${next}` }, '下一页'));
  }
  if (links.length) view.append(el('nav', { class: 'pages', 'aria-label': '翻页' }, links));
  view.append(exportLinks('/api/v1/roster/export', filters));
}


export async function renderCadres(view, me, params, query) {
  const [first] = params;
  if (first === undefined || first === '') return renderRoster(view, me, query);
  if (first === 'new') return renderNewCadre(view, me, query);
  if (ID.test(first)) return renderCadre(view, me, first);
  view.append(el('p', { class: 'notice error' }, '地址有误。'), el('p', {}, el('a', { href: '#/cadres' }, '返回干部名册')));
  return undefined;
}
