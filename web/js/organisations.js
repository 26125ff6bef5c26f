// The 组织 pages: the organisation tree of the user's jurisdiction, region by region
// ("#/organisations", "#/organisations/region/210102"), and one organisation ("#/organisations/42",
// in organisation.js). A region shows its own organisations and its child regions, each child
// with its organisations, both a page at a time ("加载更多").
import { api } from './api.js';
import { el } from './dom.js';
import { kindText, levelBelow, levelName } from './labels.js';
import { renderOrganisation } from './organisation.js';
import { breadcrumbs } from './regions.js';

const PAGE_SIZE = 50;
// Organisations of the child regions come in one stream, in region order like the children.
const CHILD_ORGS_PAGE = 200;
// A child row names this many of its organisations; its own page lists them all.
const NAMED_PER_CHILD = 5;
const CODE = /^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/;
const ID = /^[1-9]\d{0,17}$/;

function treeUrl(code) {
  return `#/organisations/region/${code}`;
}

function orgLink(org) {
  return el('a', { href: `#/organisations/${org.id}` }, org.name);
}

// pager(fetchPage, addRows, noun): the "已显示 N / 共 N" line, an error line and the 加载更多
// button. fetchPage(cursor) answers {items, next_cursor}; addRows(items) draws them and may be
// async. Returns {nodes, start}: start() loads the first page.
function pager(fetchPage, addRows, noun) {
  const count = el('p', { class: 'muted' });
  const error = el('p', { class: 'notice error', role: 'alert', hidden: true });
  const more = el('button', { type: 'button', class: 'quiet', hidden: true }, '加载更多');
  let cursor = null;
  let shown = 0;

  async function load() {
    const page = await fetchPage(cursor);
    await addRows(page.items);
    shown += page.items.length;
    cursor = page.next_cursor;
    count.textContent = cursor ? `已显示 ${shown} 个${noun}` : `共 ${shown} 个${noun}`;
    more.hidden = !cursor;
    return shown;
  }

  more.addEventListener('click', async () => {
    more.disabled = true;
    error.hidden = true;
    try {
      await load();
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      more.disabled = false;
    }
  });
  return { nodes: [count, error, more], start: load };
}

function table(headings, body) {
  return el('div', { class: 'scroll' }, el('table', { class: 'list' },
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', {}, h)))), body));
}

// The region's own organisations: its federation (or congress) and the committees under it.
async function ownOrganisations(region) {
  const body = el('tbody');
  const list = pager(
    (cursor) => api('GET', `/organisations?under=${region.code}&level=${region.level}` +
      `&limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    (items) => body.append(...items.map((org) => el('tr', {},
      el('td', {}, orgLink(org)),
      el('td', {}, kindText(org)),
      el('td', {}, org.term ? `${org.term.start} 至 ${org.term.end}` : '未记录'),
      el('td', {}, org.next_due || '')))),
    '组织');
  const section = el('section', { 'aria-label': '本级组织' }, el('h3', {}, '本级组织'));
  if (await list.start() === 0) section.append(el('p', { class: 'muted' }, '本级尚无组织记录。'));
  else section.append(table(['名称', '类型', '本届任期', '下次换届'], body), ...list.nodes);
  return section;
}

// A stream of the organisations of the child regions, in region order; take(lastCode) gives
// those of the children up to lastCode, fetching pages as needed.
function childOrganisations(region) {
  const level = levelBelow(region.level);
  let buffer = [];
  let cursor = null;
  let done = level === null;
  return async function take(lastCode) {
    while (!done && (buffer.length === 0 || buffer[buffer.length - 1].region <= lastCode)) {
      const page = await api('GET', `/organisations?under=${region.code}&level=${level}` +
        `&limit=${CHILD_ORGS_PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      buffer = buffer.concat(page.items);
      cursor = page.next_cursor;
      done = !cursor;
    }
    const upTo = buffer.findIndex((org) => org.region > lastCode);
    const taken = upTo < 0 ? buffer : buffer.slice(0, upTo);
    buffer = upTo < 0 ? [] : buffer.slice(upTo);
    return taken;
  };
}

function childRow(child, orgs) {
  const named = orgs.slice(0, NAMED_PER_CHILD).flatMap((org, i) => [i ? '、' : '', orgLink(org)]);
  const rest = orgs.length > NAMED_PER_CHILD
    ? el('a', { href: treeUrl(child.code) }, ` 等 ${orgs.length} 个`) : null;
  return el('tr', {},
    el('td', {}, el('a', { href: treeUrl(child.code) }, child.name)),
    el('td', { class: 'code' }, child.code),
    el('td', {}, orgs.length ? [named, rest] : el('span', { class: 'muted' }, '无')),
    el('td', { class: 'number' }, String(child.child_count)));
}

async function childRegions(region) {
  const body = el('tbody');
  const take = childOrganisations(region);
  const list = pager(
    (cursor) => api('GET', `/regions/${region.code}/children?limit=${PAGE_SIZE}` +
      `${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    async (children) => {
      if (children.length === 0) return;
      const orgs = await take(children[children.length - 1].code);
      body.append(...children.map((child) =>
        childRow(child, orgs.filter((org) => org.region === child.code))));
    },
    '下级区划');
  const section = el('section', { 'aria-label': '下级区划' }, el('h3', {}, '下级区划'));
  if (await list.start() === 0) section.append(el('p', { class: 'muted' }, '没有下级区划。'));
  else section.append(table(['区划', '代码', '组织', '下级数量'], body), ...list.nodes);
  return section;
}

async function renderTree(view, me, code) {
  let region;
  try {
    region = await api('GET', `/regions/${code}`);
  } catch (error) {
    if (error.status !== 404) throw error;
    view.append(el('p', { class: 'notice error' }, '该区划不存在，或不在您的管辖范围内。'),
      el('p', {}, el('a', { href: treeUrl(me.region) }, `返回${me.region_name || '本辖区'}`)));
    return;
  }
  // A village has no child regions, so no such section either.
  const [own, children] = await Promise.all([ownOrganisations(region),
    levelBelow(region.level) ? childRegions(region) : null]);
  view.append(
    breadcrumbs(region, me, treeUrl),
    el('h2', {}, region.name, ' ', el('span', { class: 'muted' }, `${levelName(region.level)}级 · ${region.code}`)),
    own, children || '');
}

export async function renderOrganisations(view, me, params) {
  const [first, second] = params;
  if (first === undefined || first === '') return renderTree(view, me, me.region);
  if (first === 'region' && CODE.test(second || '')) return renderTree(view, me, second);
  if (ID.test(first)) return renderOrganisation(view, me, first);
  view.append(el('p', { class: 'notice error' }, '地址有误。'),
    el('p', {}, el('a', { href: '#/organisations' }, '返回组织')));
  return undefined;
}
