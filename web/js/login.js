// The login page: username and password to POST /api/v1/session, then on to the return address.
// The password lives only in its input field: it is never logged, stored or put into a URL.
import { api } from './api.js';
import { showMessage } from './dom.js';
import { nextFromLocation } from './next.js';

const form = document.getElementById('login-form');
const username = document.getElementById('username');
const password = document.getElementById('password');
const submit = document.getElementById('login-submit');
const message = document.getElementById('login-error');

function proceed() {
  window.location.replace(nextFromLocation());
}

async function logIn(event) {
  event.preventDefault();
  if (submit.disabled) return;
  if (!username.value.trim() || !password.value) {
    showMessage(message, username.value.trim() ? '请输入密码。' : '请输入用户名。');
    (username.value.trim() ? password : username).focus();
    return;
  }
  showMessage(message, '');
  submit.disabled = true;
  submit.textContent = '登录中…';
  try {
    await api('POST', '/session', {
      body: { username: username.value.trim(), password: password.value },
      loginOn401: false,
    });
    password.value = '';
    proceed();
  } catch (error) {
    showMessage(message, error.message);
    password.value = '';
    submit.disabled = false;
    submit.textContent = '登录';
    password.focus();
  }
}

// Someone already logged in (another tab, or sent here by a stale link) goes straight on.
async function skipIfLoggedIn() {
  try {
    await api('GET', '/me', { loginOn401: false });
    proceed();
  } catch {
    // Not logged in, or the server is down: the form is the answer either way.
  }
}

form.addEventListener('submit', logIn);
username.focus();
skipIfLoggedIn();
