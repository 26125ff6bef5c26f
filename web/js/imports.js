// The 导入 page ("#/import"): a clerk uploads a cadre file (CSV or XLSX, from the template),
// checks it first (a dry run that writes nothing), sees every row error with its line and
// column or downloads them as a file, and then imports it, all or nothing. A progress bar shows
// the upload and then how many rows the server has checked (校验中 12,000 / 20,000 行).
import { upload } from './api.js';
import { el, showMessage } from './dom.js';

const IMPORT = '/imports/cadres';
const TEMPLATE = `/api/v1${IMPORT}/template`;
// The error table shows this many; the downloadable list has them all.
const SHOWN_ERRORS = 200;

function summary(result) {
  const p = result.people;
  const q = result.positions;
  return `共 ${result.rows} 行：新增 ${p.created} 人，更新 ${p.updated} 人，未变 ${p.unchanged} 人；` +
    `新增任职 ${q.added} 个，已有任职 ${q.held_already} 个。`;
}

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

export async function renderImport(view) {
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
      showMessage(status, `${dryRun ? '检查通过，可以导入。' : '导入完成。'}${summary(answer)}`, 'ok');
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

  const form = el('form', { 'aria-label': '导入干部' },
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
    el('h2', {}, '导入干部'),
    el('p', {}, '按模板填写干部及其任职，每行一人一个职务。先“检查”：逐行核对而不写入；没有错误后再“导入”，全部写入或全部不写入。同一文件再次导入不会重复添加。'),
    el('p', {}, el('a', { href: TEMPLATE, download: '' }, '下载模板（CSV）')),
    form, status, result);
}
