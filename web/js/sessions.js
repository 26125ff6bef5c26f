// The 会话 page (admins): the sessions in the admin's jurisdiction, each revocable.
import { api } from './api.js';
import { el, formatTime, showMessage } from './dom.js';

function sessionRow(session, revoke) {
  const action = session.current
    ? el('span', { class: 'tag' }, '当前会话')
    : el('button', { type: 'button', class: 'quiet', onclick: (e) => revoke(session, e.currentTarget) }, '撤销');
  return el('tr', session.current ? { class: 'current' } : {},
    el('td', {}, session.display_name || ''),
    el('td', {}, session.username),
    el('td', { class: 'code' }, session.region || ''),
    el('td', { class: 'code' }, session.address || ''),
    el('td', {}, formatTime(session.created_at)),
    el('td', {}, formatTime(session.last_seen_at)),
    el('td', {}, formatTime(session.expires_at)),
    el('td', {}, action));
}

export async function renderSessions(view) {
  const notice = el('p', { role: 'status', hidden: true });
  const holder = el('div', { class: 'scroll' });
  view.append(notice, holder);

  async function load() {
    const { items } = await api('GET', '/sessions');
    const table = el('table', { class: 'list' },
      el('thead', {}, el('tr', {},
        ['姓名', '用户名', '区划', '地址', '登录时间', '最近活动', '过期时间', ''].map((t) => el('th', {}, t)))),
      el('tbody', {}, items.map((s) => sessionRow(s, revoke))));
    holder.replaceChildren(items.length ? table : el('p', { class: 'muted' }, '没有会话。'));
  }

  async function revoke(session, button) {
    button.disabled = true;
    try {
      await api('DELETE', `/sessions/${encodeURIComponent(session.id)}`);
      showMessage(notice, `已撤销 ${session.display_name || session.username} 的会话。`, 'ok');
      await load();
    } catch (error) {
      showMessage(notice, error.message);
      button.disabled = false;
    }
  }

  await load();
}
