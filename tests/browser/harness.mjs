// What the browser tests share: assertions that print "ok"/"FAIL" lines and count, scenarios
// in fresh browser contexts, logging in, and the launch of Debian's chromium. A test file
// imports it and ends with `await run([[name, fn], ...])`, which prints "N passed, N failed"
// like the shell integration tests and sets the exit code.
//
// Every wait is one of Playwright's auto-waits on a locator or on the URL: nothing sleeps.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(process.env.JICENG_BROWSER_MODULES, 'noop.js'));
const { chromium } = require('playwright-core');

export const BASE_URL = process.env.BASE_URL;
export const PASSWORD = process.env.DEMO_PASSWORD;
// Generous: the server under test may be an ASan build on a busy 2-core machine.
export const TIMEOUT = 20_000;

let passed = 0;
let failed = 0;

// check(description, fn): one assertion; a failure ends the scenario it belongs to.
export async function check(description, fn) {
  try {
    await fn();
  } catch (error) {
    error.message = `${description}: ${error.message}`;
    throw error;
  }
  passed++;
  console.log(`ok   ${description}`);
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// visible(locator, text): waits until the locator's element shows (and contains text, if given).
export async function visible(locator, text) {
  const target = text === undefined ? locator : locator.filter({ hasText: text });
  await target.first().waitFor({ state: 'visible' });
}

// The address bar after the page settled: path and hash on the site under test.
export function onSite(page, pathAndHash) {
  return page.waitForURL((url) => url.origin === new URL(BASE_URL).origin &&
    url.pathname + url.hash === pathAndHash);
}

// shown(page, hashRoute): the app shows the page of that address ("#/cadres?role=chair") and
// has finished loading it. Waiting for the address alone is not enough: the page of the old
// address stays on screen until the hashchange event is handled.
export async function shown(page, hashRoute) {
  await onSite(page, `/${hashRoute}`);
  await page.waitForFunction((address) => {
    const view = document.querySelector('main > section.page');
    return view && view.dataset.address === address && !view.hasAttribute('aria-busy');
  }, hashRoute);
}

export async function logIn(page, username, password = PASSWORD) {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

export const header = (page) => page.locator('header.topbar');
export const navLink = (page, name) =>
  page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name, exact: true });

// newPage(browser): a page in a fresh context (no cookies) with the tests' timeout. Close its
// context when done.
export async function newPage(browser) {
  const context = await browser.newContext({ baseURL: BASE_URL, locale: 'zh-CN' });
  context.setDefaultTimeout(TIMEOUT);
  return context.newPage();
}

// signIn(page, username): logs in from the login page and waits until the app shows.
export async function signIn(page, username) {
  await page.goto('/login.html');
  await logIn(page, username);
  await visible(page.getByRole('button', { name: '退出' }));
}

// loggedIn(browser, username): a new page of a fresh context, logged in and showing the app.
export async function loggedIn(browser, username) {
  const page = await newPage(browser);
  await signIn(page, username);
  return page;
}

// scenario(browser, name, fn): runs fn(page, browser) in a fresh context, then checks that the
// page met no script error and no Content-Security-Policy refusal along the way.
async function scenario(browser, name, fn) {
  const page = await newPage(browser);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  console.log(`# ${name}`);
  try {
    await fn(page, browser);
    await check('no script errors or CSP refusals', () => assert(problems.length === 0, problems.join('; ')));
  } catch (error) {
    failed++;
    console.log(`FAIL ${error.message.split('\n').slice(0, 6).join('\n     ')}`);
    console.log(`     at ${page.url()}`);
    // What the page told the user is often the quickest clue (an error from the server).
    const alerts = await page.locator('[role=alert]:visible').allTextContents().catch(() => []);
    if (alerts.length > 0) console.log(`     the page shows: ${alerts.join(' | ')}`);
    const headings = await page.locator('main h1:visible, main h2:visible').allTextContents().catch(() => []);
    if (headings.length > 0) console.log(`     its headings: ${headings.join(' | ')}`);
  } finally {
    await page.context().close();
  }
}

// run(scenarios): runs [name, fn] pairs in one chromium, then reports and sets the exit code.
export async function run(scenarios) {
  const isRoot = process.getuid && process.getuid() === 0;
  // Playwright passes --no-sandbox unless chromiumSandbox is set: keep the sandbox unless root,
  // where chromium refuses to start with it.
  const browser = await chromium.launch({
    executablePath: process.env.JICENG_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    chromiumSandbox: !isRoot,
  });
  try {
    for (const [name, fn] of scenarios) await scenario(browser, name, fn);
  } finally {
    await browser.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}
