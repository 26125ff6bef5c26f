// The 导入 page ("#/import", "#/import?kind=new-organisations"): a clerk chooses what to import
// (cadres, organisations, new economic and social organisations), uploads a file (CSV or XLSX,
// from that kind's template), checks it first (a dry run that writes nothing), sees every row
// error with its line and column or downloads them as a file, and then imports it, all or
// nothing. A progress bar shows the upload and then how many rows the server has checked
// (校验中 12,000 / 20,000 行).
import { upload } from './api.js';
import { el, showMessage } from './dom.js';
import { field } from './forms.js';

// The error table shows this many; the downloadable list has them all.
const SHOWN_ERRORS = 200;

// "新增 2 个，更新 1 个，未变 0 个": the tallies of an import whose rows are one thing each.
const tallies = (t, unit) => `新增 ${t.created} ${unit}，更新 ${t.updated} ${unit}，未变 ${t.unchanged} ${unit}。`;

// The kinds of import: the API's name, what the page says, and the summary of an answer.
const KINDS = {
  cadres: {
    title: '干部',
    help: '按模板填写干部及其任职，每行一人一个职务，以身份证号为准。',
    summary: (result) => `新增 ${result.people.created} 人，更新 ${result.people.updated} 人，未变 ${result.people.unchanged} 人；` +
      `新增任职 ${result.positions.added} 个，已有任职 ${result.positions.held_already} 个。`,
  },
  organisations: {
    title: '组织',
    help: '按模板填写妇联、妇代会和妇委会，每行一个组织。',
    summary: (result) => tallies(result.organisations, '个'),
  },
  'new-organisations': {
    title: '两新组织',
    help: '按模板填写新经济组织和新社会组织，每行一个，以统一社会信用代码为准：已登记的按文件更新，空白栏目保持原值。',
    summary: (result) => tallies(result.new_organisations, '个'),
  },
};

function errorTable(errors) {
  const rows = errors.slice(0, SHOWN_ERRORS).map((e) => el('tr', {},
    el('td', { class: 'number' }, e.line ?? ''),
    el('td', { class: 'number' }, e.column ?? ''),
    el('td', {}, e.column_name || e.field || ''),
    el('td', {}, e.message)));
  return el('div', { class: 'scroll' }, el('table', { class: 'list', 'aria-label': '错误清单' },
    el('thead', {}, el('tr', {}, ['行', '列', '栏目', '原因'].map((h) => el('th', {}, h)))),
    el('tbody', {}, rows)));
}

// Offers a file the browser holds as a download.
function save({ blob, filename }) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

const count = (n) => n.toLocaleString('en-US');

function rowsMessage(dryRun, done, total) {
  if (!dryRun && done === total) return `已写入 ${count(total)} 行，正在提交…`;
  return `${dryRun ? '校验中' : '导入中'} ${count(done)} / ${count(total)} 行`;
}

// The choice of what to import; a new choice is a new address, so the page starts afresh.
function kindChoice(current) {
  const choice = el('select', { name: 'kind' },
    Object.entries(KINDS).map(([name, kind]) => el('option', { value: name }, kind.title)));
  choice.value = current;
  choice.addEventListener('change', () => {
    window.location.hash = choice.value === 'cadres' ? '#/import' : `#/import?kind=${choice.value}`;
  });
  return el('div', { class: 'filters' }, field('导入内容', choice));
}

export async function renderImport(view, me, params, query) {
  const name = Object.hasOwn(KINDS, query?.get('kind') ?? '') ? query.get('kind') : 'cadres';
  const kind = KINDS[name];
  const IMPORT = `/imports/${name}`;
  const TEMPLATE = `/api/v1${IMPORT}/template`;
  const file = el('input', { type: 'file', id: 'import-file', name: 'file', accept: '.csv,.xlsx,text/csv' });
  const check = el('button', { type: 'submit' }, '检查');
  const commit = el('button', { type: 'button', disabled: true }, '导入');
  const progress = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': '上传进度' });
  const status = el('p', { role: 'status', hidden: true });
  const result = el('div', { 'aria-live': 'polite' });
  // The file a dry run passed: 导入 sends that one, and a new choice needs a new check.
  let checked = null;

  async function send(dryRun) {
    const chosen = file.files[0];
    if (!chosen) {
      showMessage(status, '请先选择文件。');
      return;
    }
    check.disabled = commit.disabled = true;
    result.replaceChildren();
    progress.hidden = false;
    progress.value = 0;
    progress.setAttribute('aria-label', '上传进度');
    showMessage(status, '正在上传…', 'ok');
    let rowsShown = false;
    try {
      const answer = await upload(`${IMPORT}?dry_run=${dryRun}`, chosen, {
        onProgress: (fraction) => {
          progress.value = fraction;
          showMessage(status, fraction < 1 ? `正在上传… ${Math.round(fraction * 100)}%` : '正在读取文件…', 'ok');
        },
        // The server's own progress as it checks (and, importing, writes) the rows.
        onRows: (done, total) => {
          rowsShown = true;
          progress.setAttribute('aria-label', '处理进度');
          progress.value = total > 0 ? done / total : 1;
          showMessage(status, rowsMessage(dryRun, done, total), 'ok');
        },
      });
      checked = dryRun ? chosen : null;
      showMessage(status, `${dryRun ? '检查通过，可以导入。' : '导入完成。'}共 ${answer.rows} 行：${kind.summary(answer)}`, 'ok');
    } catch (error) {
      checked = null;
      showMessage(status, error.message);
      const errors = error.body?.errors || [];
      if (errors.length > 0) showErrors(chosen, error.body, errors);
    } finally {
      // Once the rows were counted the bar stays, full, beside the outcome.
      progress.hidden = !rowsShown;
      check.disabled = false;
      commit.disabled = checked !== chosen;
    }
  }

  function showErrors(chosen, body, errors) {
    const download = el('button', { type: 'button', class: 'quiet' }, '下载错误清单');
    download.addEventListener('click', async () => {
      download.disabled = true;
      try {
        save(await upload(`${IMPORT}?dry_run=true&errors=csv`, chosen, { blob: true }));
      } catch (error) {
        showMessage(status, error.message);
      } finally {
        download.disabled = false;
      }
    });
    const count = body.error_count ?? errors.length;
    result.replaceChildren(
      el('p', {}, `${body.rows_with_errors ?? ''} 行有错误，共 ${count} 处` +
        `${count > SHOWN_ERRORS ? `，下表列出前 ${SHOWN_ERRORS} 处` : ''}。改正后重新检查；文件中没有任何内容写入。`),
      errorTable(errors), el('p', {}, download));
  }

  const form = el('form', { 'aria-label': `导入${kind.title}` },
    el('div', { class: 'field' }, el('label', { for: 'import-file' }, '文件（CSV 或 XLSX）'), file),
    el('div', { class: 'actions' }, check, commit, progress));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    send(true);
  });
  commit.addEventListener('click', () => send(false));
  file.addEventListener('change', () => {
    commit.disabled = true;
    progress.hidden = true;
    status.hidden = true;
    result.replaceChildren();
  });

  view.append(
    kindChoice(name),
    el('h2', {}, `导入${kind.title}`),
    el('p', {}, `${kind.help}先“检查”：逐行核对而不写入；没有错误后再“导入”，全部写入或全部不写入。同一文件再次导入不会重复添加。`),
    el('p', {}, el('a', { href: TEMPLATE, download: '' }, `下载${kind.title}模板（CSV）`)),
    form, status, result);
}
