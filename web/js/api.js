// Calls to the JSON API under /api/v1 of the same site.
import { loginUrl } from './next.js';

// An error answer of the API (or no answer at all: status 0). message is for people; field
// names the request member at fault, when the server names one.
export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

// The server refuses state-changing requests without this header (a cross-site form cannot
// send it), see the CSRF rule of the API.
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

// Messages for answers that carry no error body of their own.
const FALLBACK = {
  0: '无法连接服务器，请检查网络后重试。',
  401: '请先登录。',
  403: '没有权限执行此操作。',
  404: '未找到。',
  503: '服务暂时不可用，请稍后再试。',
};

// retryHint(res): when to retry, from a Retry-After header in seconds, or "".
function retryHint(res) {
  const seconds = Number.parseInt(res.headers.get('Retry-After') || '', 10);
  if (!Number.isFinite(seconds) || seconds <= 0) return '';
  return seconds < 60 ? `请在 ${seconds} 秒后重试。` : `请在约 ${Math.ceil(seconds / 60)} 分钟后重试。`;
}

async function errorOf(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // nginx or a proxy may answer with HTML; the fallback message covers it.
  }
  const error = body && typeof body.error === 'object' && body.error ? body.error : {};
  if (typeof error.message === 'string' && error.message) {
    const field = typeof error.field === 'string' && error.field ? error.field : null;
    return new ApiError(res.status, error.code || 'error', error.message, field);
  }
  // The server's own 429 message says when to retry; without one, Retry-After does.
  const message = res.status === 429
    ? `尝试次数过多。${retryHint(res) || '请稍后再试。'}`
    : FALLBACK[res.status] || `请求失败（${res.status}）。`;
  return new ApiError(res.status, 'error', message);
}

// api(method, path, options): the parsed JSON answer (null for 204). Throws ApiError.
// options.body is sent as JSON. On 401 the browser goes to the login page, which returns here
// afterwards, and the returned promise never settles (the page is going away, so callers need
// not show an error); options.loginOn401 = false makes 401 an ApiError like any other.
export async function api(method, path, { body, loginOn401 = true } = {}) {
  const headers = { Accept: 'application/json' };
  if (STATE_CHANGING.has(method)) headers['X-Requested-With'] = 'XMLHttpRequest';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', FALLBACK[0]);
  }
  if (res.status === 401 && loginOn401) {
    window.location.assign(loginUrl());
    return new Promise(() => {});
  }
  if (!res.ok) throw await errorOf(res);
  if (res.status === 204) return null;
  try {
    return await res.json();
  } catch {
    throw new ApiError(res.status, 'invalid_answer', '服务器的回答无法解析。');
  }
}

// upload(path, file, options): POSTs a file as the body, for imports. fetch cannot report how
// far an upload has got, XMLHttpRequest can: options.onProgress(fraction) is called as the file
// goes out. With options.onRows(done, total) the request asks for the server's progress
// (?progress=true): once the rows are being checked the answer is a stream of JSON lines,
// {"progress": {done, total}} as the rows go and {"status", "answer"} at the end, and onRows is
// called for each progress line as it arrives. Resolves to the parsed JSON answer, or with
// options.blob to {blob, filename} for a file the server answers with (an error list to
// download). Throws ApiError, with the answer's whole body as error.body (an import's row errors
// come with its 422).
export function upload(path, file, { onProgress, onRows, blob = false } = {}) {
  const url = onRows ? `${path}${path.includes('?') ? '&' : '?'}progress=true` : path;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${url}`);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    xhr.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
    xhr.responseType = blob ? 'blob' : 'text';
    if (onProgress) xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded / e.total));
    const stream = onRows ? progressLines(xhr, onRows) : null;
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', FALLBACK[0])));
    xhr.addEventListener('load', async () => {
      if (xhr.status === 401) {
        window.location.assign(loginUrl());
        return;
      }
      const text = blob ? (xhr.response.type.includes('json') ? await xhr.response.text() : null) : xhr.responseText;
      if (text === null) {
        const disposition = xhr.getResponseHeader('Content-Disposition') || '';
        resolve({ blob: xhr.response, filename: (/filename="?([^";]+)"?/.exec(disposition) || [])[1] || 'errors.csv' });
        return;
      }
      let body = null;
      let status = xhr.status;
      try {
        if (stream?.isStream()) {
          // The last line holds the status and answer the import would have had.
          const last = stream.finish();
          status = last?.status ?? 0;
          body = last?.answer ?? null;
        } else {
          body = JSON.parse(text);
        }
      } catch {
        // An answer that is not JSON (a proxy's page): the fallback message covers it.
      }
      if (status >= 200 && status < 300 && body) {
        resolve(body);
        return;
      }
      const error = body && body.error && typeof body.error.message === 'string'
        ? new ApiError(status, body.error.code || 'error', body.error.message, body.error.field || null)
        : new ApiError(status, 'error', FALLBACK[status] || `请求失败（${status}）。`);
      error.body = body;
      reject(error);
    });
    xhr.send(file);
  });
}

// progressLines(xhr, onRows): reads an import's progress stream (application/x-ndjson) as it
// arrives, calling onRows(done, total) for each progress line; finish() parses what is left
// and returns the last line.
function progressLines(xhr, onRows) {
  let used = 0;
  let last = null;
  const isStream = () => (xhr.getResponseHeader('Content-Type') || '').startsWith('application/x-ndjson');
  const read = (all) => {
    const text = xhr.responseText;
    for (;;) {
      const end = text.indexOf('\n', used);
      if (end < 0 && !(all && used < text.length)) return;
      const line = text.slice(used, end < 0 ? text.length : end).trim();
      used = end < 0 ? text.length : end + 1;
      if (!line) continue;
      const item = JSON.parse(line);
      if (item.progress) onRows(item.progress.done, item.progress.total);
      else last = item;
    }
  };
  xhr.addEventListener('progress', () => {
    if (isStream()) read(false);
  });
  return {
    isStream,
    finish() {
      read(true);
      return last;
    },
  };
}
