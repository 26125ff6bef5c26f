// A FastCGI client that talks to jiceng's socket directly, as nginx does, for connections.sh:
// how the application treats connections that nginx keeps, leaves idle, closes, or fills with
// something that is not FastCGI. Not a test itself (ctest runs *.sh).
//
//   node fastcgi.mjs SOCKET WORKERS
// prints one line per check, "ok DESCRIPTION" or "FAIL DESCRIPTION: why", for the script to count.
import net from 'node:net';

const [socketPath, workersArg] = process.argv.slice(2);
const workers = Number(workersArg);
const BEGIN_REQUEST = 1, END_REQUEST = 3, PARAMS = 4, STDIN = 5, STDOUT = 6, KEEP_CONN = 1;
const WAIT_MS = 10000;

function record(type, content = Buffer.alloc(0)) {
  const header = Buffer.from([1, type, 0, 1, content.length >> 8, content.length & 0xff, 0, 0]);
  return Buffer.concat([header, content]);
}

function length(n) {
  return n < 128 ? Buffer.from([n]) : Buffer.from([(n >> 24) | 0x80, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
}

function params(pairs) {
  return Buffer.concat(Object.entries(pairs).map(([name, value]) => {
    const n = Buffer.from(name), v = Buffer.from(value);
    return Buffer.concat([length(n.length), length(v.length), n, v]);
  }));
}

// The records nginx sends for one request; keep asks the application to keep the connection.
function request({ method = 'GET', path = '/api/v1/health', body = '', keep = true, headers = {} }) {
  const content = Buffer.from(body);
  const records = [
    record(BEGIN_REQUEST, Buffer.from([0, 1, keep ? KEEP_CONN : 0, 0, 0, 0, 0, 0])),
    record(PARAMS, params({
      REQUEST_METHOD: method, DOCUMENT_URI: path, QUERY_STRING: '', REQUEST_ID: 'fastcgi-test',
      REMOTE_ADDR: '127.0.0.1', HTTP_HOST: 'localhost', SERVER_PORT: '80', REQUEST_SCHEME: 'http',
      CONTENT_LENGTH: content.length ? String(content.length) : '', ...headers,
    })),
    record(PARAMS),
  ];
  if (content.length) records.push(record(STDIN, content));
  records.push(record(STDIN));
  return Buffer.concat(records);
}

// A connection that collects what the application sends and tells when it closes.
class Connection {
  constructor() {
    this.data = Buffer.alloc(0);
    this.closed = false;
    this.waiters = [];
    this.socket = net.createConnection(socketPath);
    this.socket.on('data', (chunk) => { this.data = Buffer.concat([this.data, chunk]); this.wake(); });
    this.socket.on('close', () => { this.closed = true; this.wake(); });
    this.socket.on('error', () => {});
  }
  wake() { for (const w of this.waiters.splice(0)) w(); }
  until(condition, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms`)), WAIT_MS);
      const test = () => {
        const result = condition();
        if (result !== undefined) { clearTimeout(timer); resolve(result); } else this.waiters.push(test);
      };
      test();
    });
  }
  // The answer to one request: its status line's code and body, from STDOUT up to END_REQUEST.
  async ask(options) {
    this.socket.write(request(options));
    return this.until(() => this.takeAnswer() ?? (this.closed ? null : undefined), 'answer')
      .then((answer) => { if (!answer) throw new Error('connection closed without an answer'); return answer; });
  }
  takeAnswer() {
    let at = 0, out = Buffer.alloc(0);
    while (at + 8 <= this.data.length) {
      const type = this.data[at + 1], size = this.data.readUInt16BE(at + 4), pad = this.data[at + 6];
      if (at + 8 + size + pad > this.data.length) return undefined;
      const content = this.data.subarray(at + 8, at + 8 + size);
      at += 8 + size + pad;
      if (type === STDOUT) out = Buffer.concat([out, content]);
      if (type === END_REQUEST) {
        this.data = this.data.subarray(at);
        const text = out.toString();
        const status = Number((/^Status: (\d+)/m.exec(text) || [])[1] || 200);
        return { status, body: text.slice(text.indexOf('\r\n\r\n') + 4) };
      }
    }
    return undefined;
  }
  closedByServer() { return this.until(() => (this.closed ? true : undefined), 'close'); }
  close() { this.socket.destroy(); }
}

let failed = 0;
async function check(description, body) {
  try {
    await body();
    console.log(`ok ${description}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${description}: ${e.message}`);
  }
}
function expect(condition, why) { if (!condition) throw new Error(why); }

await check('five requests in turn on one kept connection', async () => {
  const c = new Connection();
  for (let i = 0; i < 5; i++) {
    const answer = await c.ask({});
    expect(answer.status === 200, `request ${i + 1} answered ${answer.status}`);
  }
  expect(!c.closed, 'the application closed the kept connection');
  c.close();
});

await check(`a new connection is served while ${workers + 4} kept connections sit idle (${workers} workers)`, async () => {
  const idle = [];
  try {
    for (let i = 0; i < workers + 4; i++) {
      idle.push(new Connection());
      expect((await idle[i].ask({})).status === 200, `kept connection ${i + 1} not answered`);
    }
    const fresh = new Connection();
    idle.push(fresh);
    const answer = await fresh.ask({ keep: false });
    expect(answer.status === 200, `answered ${answer.status}`);
    await fresh.closedByServer();
    for (const c of idle.slice(0, -1)) expect((await c.ask({})).status === 200, 'an idle connection was not served again');
  } finally {
    idle.forEach((c) => c.close());
  }
});

await check('a connection whose request comes a while after it opened is served', async () => {
  // The pause lets the application accept the connection before anything arrives on it, so that
  // it has to wait for the request among the idle connections; served either way.
  const c = new Connection();
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect((await c.ask({})).status === 200, 'not answered');
  c.close();
});

await check('a connection nginx does not keep is closed after its answer', async () => {
  const c = new Connection();
  expect((await c.ask({ keep: false })).status === 200, 'not answered');
  await c.closedByServer();
});

await check('a kept connection whose body was read serves the next request', async () => {
  const c = new Connection();
  const answer = await c.ask({
    method: 'POST', path: '/api/v1/session', body: '{"username": ',
    headers: { CONTENT_TYPE: 'application/json', HTTP_X_REQUESTED_WITH: 'fetch' },
  });
  expect(answer.status === 400 && /"invalid_json"|position|column/.test(answer.body),
    `the malformed body answered ${answer.status} ${answer.body}`);
  expect((await c.ask({})).status === 200, 'the next request was not answered');
  c.close();
});

await check('a kept connection with an unread body is closed after its answer', async () => {
  const c = new Connection();
  const answer = await c.ask({ method: 'POST', path: '/api/v1/health', body: 'x'.repeat(5000) });
  expect(answer.status === 405, `answered ${answer.status}`);
  await c.closedByServer();
});

await check('a connection that does not speak FastCGI is closed, and the next is served', async () => {
  const c = new Connection();
  c.socket.write('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
  await c.closedByServer();
  const next = new Connection();
  expect((await next.ask({})).status === 200, 'not answered');
  next.close();
});

process.exit(failed ? 1 : 0);
