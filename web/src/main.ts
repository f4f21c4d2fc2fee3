// The connect screen and the lobby. The game screens arrive with the realtime client.
import { api, login, logout, me, savedSession, sentence, type Session } from './api.js';

const root = document.getElementById('app') as HTMLElement;

type Props = Record<string, string | number | boolean | ((ev: Event) => unknown)>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...kids: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node: HTMLElementTagNameMap[K] = Object.assign(document.createElement(tag), props);
  node.append(...kids);
  return node;
}

function field(label: string, input: HTMLInputElement) {
  return el('label', {}, el('span', {}, label), input);
}

function showConnect(message = '') {
  const username = el('input', {
    name: 'username',
    autocomplete: 'username',
    required: true,
    minLength: 3,
    maxLength: 20,
  });
  const password = el('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
  });
  const status = el('p', { className: 'status', role: 'alert', textContent: message });
  const submit = async (action: 'login' | 'signup') => {
    status.textContent = '';
    try {
      if (action === 'signup') await api.signup(username.value, password.value);
      await showLobby(await login(username.value, password.value));
    } catch (e) {
      status.textContent = sentence(e);
    }
  };
  const form = el(
    'form',
    { className: 'card' },
    el('h1', {}, 'Duel'),
    el('p', { className: 'tagline' }, 'Asteroids, one on one, in real time.'),
    field('Username', username),
    field('Password', password),
    el(
      'div',
      { className: 'row' },
      el('button', { type: 'submit', textContent: 'Log in' }),
      el('button', {
        type: 'button',
        className: 'secondary',
        textContent: 'Sign up',
        onclick: () => void submit('signup'),
      }),
    ),
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void submit('login');
  });
  root.replaceChildren(form);
  username.focus();
}

const minutes = (seconds: number) =>
  `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;

async function showLobby(session: Session) {
  const stats = await me(session);
  const out = el('button', { type: 'button', className: 'secondary', textContent: 'Log out' });
  out.onclick = async () => {
    await logout(session);
    showConnect('You are logged out.');
  };
  root.replaceChildren(
    el(
      'section',
      { className: 'card' },
      el('h1', {}, `Hello, ${stats.username}`),
      el(
        'dl',
        {},
        el('dt', {}, 'Time played'),
        el('dd', {}, minutes(stats.timePlayed)),
        el('dt', {}, 'Wins'),
        el('dd', {}, String(stats.wins)),
        el('dt', {}, 'Shots fired'),
        el('dd', {}, String(stats.shotsFired)),
      ),
      el('div', { className: 'row' }, out),
    ),
  );
}

const existing = savedSession();
if (existing) showLobby(existing).catch(() => showConnect('Your session has ended. Log in again.'));
else showConnect();
