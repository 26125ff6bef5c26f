// Forms: labelled controls, reading them back, and the server's complaints shown where they
// belong: at the field the error names (error.field), else in the form's notice.
import { el, showMessage } from './dom.js';

let lastId = 0;

// field(label, control, hint): a form row: the label, the control, an optional hint, and a
// place for the server's complaint about this field (shown by showError).
export function field(label, control, hint) {
  if (!control.id) control.id = `field-${++lastId}`;
  return el('div', { class: 'field' },
    el('label', { for: control.id }, label),
    control,
    hint ? el('small', { class: 'muted' }, hint) : null,
    el('p', { class: 'field-error', id: `${control.id}-error`, role: 'alert', hidden: true }));
}

// input(name, value, props): a text input (props may set type, maxlength, ...).
export function input(name, value, props = {}) {
  return el('input', { name, value: value ?? '', ...props });
}

// select(name, table, value, blank): a choice among the codes of a labels.js table; blank is
// the text of an empty first choice ("不限"), or null for none.
export function select(name, table, value, blank = null) {
  const options = Object.entries(table).map(([code, label]) => el('option', { value: code }, label));
  if (blank !== null) options.unshift(el('option', { value: '' }, blank));
  const node = el('select', { name }, options);
  node.value = value ?? '';
  return node;
}

// checkbox(name, checked, label): a checkbox with its label after it.
export function checkbox(name, checked, label) {
  const box = el('input', { type: 'checkbox', name, id: `field-${++lastId}`, checked: Boolean(checked) });
  return el('div', { class: 'field check' }, box, el('label', { for: box.id }, label),
    el('p', { class: 'field-error', id: `${box.id}-error`, role: 'alert', hidden: true }));
}

// readForm(form): the named controls' values: checkboxes as booleans, number inputs as numbers,
// text trimmed; an empty control is null.
export function readForm(form) {
  const values = {};
  for (const control of form.elements) {
    if (!control.name || control.disabled) continue;
    if (control.type === 'checkbox') values[control.name] = control.checked;
    else if (control.value.trim() === '') values[control.name] = null;
    else if (control.type === 'number') values[control.name] = Number(control.value);
    else values[control.name] = control.value.trim();
  }
  return values;
}

// changed(values, original): the members of values that differ from the record read, so an
// update sends only what the user changed (and never a masked number back as a new one).
export function changed(values, original) {
  const out = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== (original[name] ?? null)) out[name] = value;
  }
  return out;
}

// The server's reasons are English; the usual ones in Chinese, anything else as it came.
const REASONS = [
  [/^is required$/, () => '此项必填。'],
  [/^must be 17 digits followed by a digit or X$/, () => '身份证号应为 17 位数字加一位数字或 X。'],
  [/^does not start with an area code$/, () => '身份证号的前 6 位不是地区代码。'],
  [/^holds no valid birth date/, () => '身份证号中的出生日期无效。'],
  [/^has a wrong check character$/, () => '身份证号的校验位不正确。'],
  [/^must not be in the future$/, () => '不能晚于今天。'],
  [/^disagrees with the ID number, which says (\S+)$/, (m) => `与身份证号不符（身份证号为 ${m[1]}）。`],
  [/^must be 11 digits starting with 1$/, () => '手机号应为以 1 开头的 11 位数字。'],
  [/^must be a date YYYY-MM-DD/, () => '请填写日期（年-月-日）。'],
  [/^must be a whole number from (-?\d+) to (-?\d+)$/, (m) => `应为 ${m[1]} 到 ${m[2]} 之间的整数。`],
];

// reason(error): what to say at the field: the reason without the "field: " the server puts
// in front of it, in Chinese where it is a usual one.
function reason(error) {
  const prefix = `${error.field}: `;
  const text = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  for (const [pattern, say] of REASONS) {
    const match = pattern.exec(text);
    if (match) return say(match);
  }
  if (error.code === 'duplicate' && error.field === 'id_number') return '该身份证号已在名册中。';
  return text;
}

// clearErrors(form, notice): hides every complaint of the form and its notice.
export function clearErrors(form, notice) {
  for (const box of form.querySelectorAll('.field-error')) {
    box.textContent = '';
    box.hidden = true;
  }
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-describedby');
  }
  showMessage(notice, '');
}

// showError(form, notice, error): an ApiError at the field it names, when the form has that
// field; otherwise in the notice. A stale version asks the user to reload.
export function showError(form, notice, error) {
  clearErrors(form, notice);
  const control = error.field ? form.elements.namedItem(error.field) : null;
  const box = control instanceof Element ? control.closest('.field')?.querySelector('.field-error') : null;
  if (error.code === 'stale_version') {
    showMessage(notice, '这条记录已被他人修改。请刷新页面，看过最新内容后再修改。');
  } else if (box) {
    box.textContent = reason(error);
    box.hidden = false;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', box.id);
    control.focus();
  } else {
    showMessage(notice, error.message);
  }
}

// todayUtc(): today as YYYY-MM-DD in UTC, the calendar the server checks "not in the future"
// against; a local date could be a day ahead of it in the morning in China.
export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

// whileBusy(button, fn): runs fn with the button disabled, so a double click sends once.
export async function whileBusy(button, fn) {
  button.disabled = true;
  try {
    return await fn();
  } finally {
    button.disabled = false;
  }
}
