// The 区划 page: the division tree of the user's jurisdiction, one region at a time, with its
// ancestors as breadcrumbs and its children a page at a time ("加载更多").
import { api } from './api.js';
import { el } from './dom.js';
import { levelName } from './labels.js';

const PAGE_SIZE = 50;
const CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;

// Regions above the user's own are shown but not linked: the server answers 404 for them.
// urlOf(code) is the address of a region's page on the page that links it.
function regionLink(region, me, urlOf = regionUrl) {
  return region.code.startsWith(me.region)
    ? el('a', { href: urlOf(region.code) }, region.name)
    : el('span', {}, region.name);
}

const regionUrl = (code) => `#/regions/${code}`;

// breadcrumbs(region, me, urlOf): the region's ancestors, each linked to its page of the same
// kind (区划, 组织, 统计), then the region itself.
export function breadcrumbs(region, me, urlOf = regionUrl) {
  const items = region.ancestors.map((a) => el('li', {}, regionLink(a, me, urlOf)));
  items.push(el('li', {}, el('span', { 'aria-current': 'page' }, region.name)));
  return el('nav', { class: 'breadcrumbs', 'aria-label': '上级区划' }, el('ol', {}, items));
}

function childRow(child, me) {
  const name = child.child_count > 0 ? regionLink(child, me) : child.name;
  return el('tr', {},
    el('td', {}, name),
    el('td', { class: 'code' }, child.code),
    el('td', {}, levelName(child.level)),
    el('td', { class: 'number' }, String(child.child_count)));
}

// The children table and its "加载更多" button, which fetches the page after next_cursor.
function childrenTable(code, firstPage, me) {
  const body = el('tbody');
  const count = el('p', { class: 'muted' });
  const more = el('button', { type: 'button', class: 'quiet' }, '加载更多');
  const error = el('p', { class: 'notice error', role: 'alert', hidden: true });
  let cursor = null;
  let shown = 0;

  function add(page) {
    body.append(...page.items.map((child) => childRow(child, me)));
    shown += page.items.length;
    cursor = page.next_cursor;
    count.textContent = cursor ? `已显示 ${shown} 个下级区划` : `共 ${shown} 个下级区划`;
    more.hidden = !cursor;
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    error.hidden = true;
    try {
      add(await api('GET', `/regions/${code}/children?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`));
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      more.disabled = false;
    }
  });

  add(firstPage);
  if (shown === 0) return el('p', { class: 'muted' }, '没有下级区划。');
  return el('div', {},
    el('div', { class: 'scroll' }, el('table', { class: 'list' },
      el('thead', {}, el('tr', {},
        el('th', {}, '名称'), el('th', {}, '代码'), el('th', {}, '级别'), el('th', {}, '下级数量'))),
      body)),
    count, error, more);
}

export async function renderRegions(view, me, params) {
  const code = params[0] || me.region;
  if (!CODE.test(code)) {
    view.append(el('p', { class: 'notice error' }, '区划代码应为 2、4、6、9 或 12 位数字。'));
    return;
  }
  let region, page;
  try {
    [region, page] = await Promise.all([
      api('GET', `/regions/${code}`),
      api('GET', `/regions/${code}/children?limit=${PAGE_SIZE}`),
    ]);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'),
      el('p', {}, el('a', { href: `#/regions/${me.region}` }, `返回${me.region_name || '本辖区'}`)));
    return;
  }
  view.append(
    breadcrumbs(region, me),
    el('h2', {}, region.name, ' ', el('span', { class: 'muted' }, `${levelName(region.level)}级 · ${region.code}`)),
    childrenTable(code, page, me));
}
