// Builds DOM nodes. Text always goes in as text nodes, never through innerHTML, so data from the
// server or the address bar cannot turn into markup.

// el(tag, props, ...children): a new element. props: "class", "on<event>" listeners, and
// attributes (true for an empty one; null, undefined and false leave it out). Children are
// nodes, strings (added as text) or arrays of them; null and false are skipped.
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'class') node.className = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// showMessage(node, text, kind): puts a message into a notice element and shows it; an empty
// text hides it. kind: "error" (the default) or "ok".
export function showMessage(node, text, kind = 'error') {
  node.textContent = text || '';
  node.className = `notice ${kind}`;
  node.hidden = !text;
}

// formatTime(iso): a server timestamp in local time, to the minute, e.g. 2026/12/02 19:00.
export function formatTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleString('zh-CN', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
  });
}

// Links that download the whole filtered list (all pages) as CSV or XLSX.
export function exportLinks(path, filters) {
  const all = new URLSearchParams(filters);
  all.delete('cursor');
  const href = (format) => { all.set('format', format); return `${path}?${all}`; };
  return el('p', { class: 'actions' }, '导出全部：',
    el('a', { href: href('xlsx'), download: '' }, 'Excel（XLSX）'),
    el('a', { href: href('csv'), download: '' }, 'CSV'));
}
