// The application shell: who is logged in, the navigation, and a hash router that shows one
// page at a time in <main>. Routes look like "#/regions/210102" or, with a query for a page's
// filters, "#/cadres?role=chair".
import { api } from './api.js';
import { el, showMessage } from './dom.js';
import { levelName, roleNames } from './labels.js';
import { renderCadres } from './cadres.js';
import { renderImport } from './imports.js';
import { renderElections } from './elections.js';
import { renderNewOrgs } from './new_orgs.js';
import { renderOrganisations } from './organisations.js';
import { renderRegions } from './regions.js';
import { renderSessions } from './sessions.js';
import { renderStatistics } from './statistics.js';

// The sections of the navigation. Those without a page yet belong to later versions.
const SECTIONS = [
  { route: 'regions', title: '区划', render: renderRegions },
  { route: 'organisations', title: '组织', render: renderOrganisations },
  { route: 'cadres', title: '干部名册', render: renderCadres },
  { route: 'import', title: '导入', render: renderImport, role: 'clerk' },
  { route: 'elections', title: '换届', render: renderElections },
  { route: 'new-organisations', title: '两新组织', render: renderNewOrgs },
  { route: 'statistics', title: '统计', render: renderStatistics },
  { route: 'sessions', title: '会话', render: renderSessions, role: 'admin' },
];
const DEFAULT_ROUTE = '#/regions';

const main = document.getElementById('main');
const nav = document.getElementById('nav');

function allowed(section, me) {
  return !section.role || me.roles.includes(section.role);
}

function showUser(me) {
  document.getElementById('user-name').textContent = me.display_name || me.username;
  document.getElementById('user-region').textContent =
    `${me.region_name || me.region}（${levelName(me.level)}级）`;
  document.getElementById('user-roles').textContent = roleNames(me.roles);
  document.getElementById('user').hidden = false;
}

function buildNav(me) {
  const list = el('ul', {},
    SECTIONS.filter((s) => allowed(s, me)).map((s) =>
      el('li', {}, el('a', { href: `#/${s.route}`, 'data-route': s.route }, s.title))));
  nav.replaceChildren(list);
  nav.hidden = false;
}

function markCurrent(route) {
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.route === route) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

// Shows the page the address names. Each page draws into a fresh element, so a slow answer for
// a page the user has already left lands in a detached element and changes nothing on screen.
function route(me) {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const mark = hash.indexOf('?');
  const [path, search] = mark < 0 ? [hash, ''] : [hash.slice(0, mark), hash.slice(mark + 1)];
  const [name = '', ...params] = path.split('/');
  const section = SECTIONS.find((s) => s.route === name);
  if (!section) {
    window.location.replace(DEFAULT_ROUTE);
    return;
  }
  markCurrent(section.route);
  document.title = `${section.title} - 基层组织建设`;
  // aria-busy tells assistive technology (and the browser tests) that the page is still
  // loading; data-address says which address it shows, since the address changes before the
  // hashchange event lets the page follow.
  const view = el('section', { class: 'page', 'aria-busy': 'true', 'data-address': window.location.hash },
    el('h1', {}, section.title));
  main.replaceChildren(view);
  const settled = () => view.removeAttribute('aria-busy');
  if (!allowed(section, me)) {
    view.append(el('p', { class: 'notice error' }, `此页面仅限具有“${roleNames([section.role])}”权限的用户使用。`));
    settled();
  } else if (!section.render) {
    view.append(el('p', { class: 'muted' }, '此功能将在后续版本中提供。'));
    settled();
  } else {
    section.render(view, me, params, new URLSearchParams(search)).catch((error) => {
      view.append(el('p', { class: 'notice error', role: 'alert' }, error.message));
    }).finally(settled);
  }
}

async function logOut(event) {
  const button = event.currentTarget;
  button.disabled = true;
  try {
    await api('DELETE', '/session', { loginOn401: false });
  } catch (error) {
    // 401: the session had already ended, which is what logging out wants.
    if (error.status !== 401) {
      button.disabled = false;
      const notice = el('p', { role: 'alert' });
      showMessage(notice, `退出失败：${error.message}`);
      main.prepend(notice);
      return;
    }
  }
  window.location.replace('/login.html');
}

async function start() {
  let me;
  try {
    me = await api('GET', '/me');
  } catch (error) {
    main.replaceChildren(el('p', { class: 'notice error', role: 'alert' }, error.message));
    return;
  }
  showUser(me);
  buildNav(me);
  document.getElementById('logout').addEventListener('click', logOut);
  window.addEventListener('hashchange', () => route(me));
  route(me);
}

start();
