// The connect screen: log in or sign up. Every refusal is shown as a sentence.
import { api, login, resume, sentence } from '../api.js';
import { detach } from '../log.js';
import { SIGNED_OUT, type Nav, type RouteOf, type Screen } from '../nav.js';
import { button, el, field, statusLine } from './dom.js';
import { PASSWORD_MIN_LENGTH } from '../../../shared/src/limits.js';

export function connectScreen(nav: Nav, route: RouteOf<'connect'>): Screen {
  const username = el('input', {
    name: 'username',
    autocomplete: 'username',
    required: true,
    minLength: 3,
    maxLength: 20,
    pattern: '[A-Za-z0-9_\\-]{3,20}',
    spellcheck: false,
  });
  const password = el('input', {
    name: 'password',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    minLength: PASSWORD_MIN_LENGTH,
  });
  const status = statusLine(route.reason ? SIGNED_OUT[route.reason].notice : '');
  const actions = el('div', { className: 'row' });
  const busy = (on: boolean) => {
    for (const b of actions.querySelectorAll('button')) b.disabled = on;
  };
  let disposed = false;

  const submit = async (action: 'login' | 'signup') => {
    // The browser's own checks would only say "fill in this field"; the server's sentences are
    // clearer, so the form is validated by the server alone.
    status.textContent = '';
    busy(true);
    try {
      if (action === 'signup') await api.signup(username.value, password.value);
      const session = await login(username.value, password.value);
      if (!disposed) nav.go({ name: 'lobby', session });
    } catch (e) {
      status.textContent = sentence(e);
      busy(false);
    }
  };

  actions.append(
    el('button', { type: 'submit', textContent: 'Log in' }),
    button('Sign up', () => detach('signing up', submit('signup')), 'secondary'),
  );
  const form = el(
    'form',
    { className: 'card', noValidate: true, ariaLabel: 'Log in or sign up' },
    el('h1', { className: 'logo' }, 'Duel'),
    el('p', { className: 'tagline' }, 'Asteroids, one on one, in real time.'),
    field('Username', username),
    field('Password', password),
    actions,
    status,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    detach('logging in', submit('login'));
  });
  // After a dropped connection the browser may still hold its session: offer to resume it.
  const reconnect = async () => {
    status.textContent = '';
    const session = await resume().catch((e: unknown) => void (status.textContent = sentence(e)));
    if (disposed || session === undefined) return;
    if (session) nav.go({ name: 'lobby', session });
    else status.textContent = SIGNED_OUT.session_ended.notice;
  };
  if (route.reason === 'unreachable')
    form.append(button('Reconnect', () => detach('reconnecting', reconnect()), 'link'));
  nav.root.replaceChildren(form);
  username.focus();
  return { dispose: () => void (disposed = true) };
}
