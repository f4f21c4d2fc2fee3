// The match: the shared GameClient does the netcode; this screen feeds it the data channels,
// the keyboard at a fixed 60 Hz and a ping beat every 500 ms, draws what it says each animation
// frame, and leaves for the results, the lobby or the connect screen when the match ends.
// The tab remembers its match, so a reload comes back to it (ui/rejoin.ts) while the server
// holds the seat, and a link that drops is replaced in place (net/match-link.ts); an opponent
// who dropped is counted down on screen meanwhile.
import { GameClient } from '../../../shared/src/net/game-client.js';
import type { MatchEndInfo, RenderFrame } from '../../../shared/src/net/game-view.js';
import { Button } from '../../../shared/src/protocol/codes.js';
import { TICK_RATE } from '../../../shared/src/sim/constants.js';
import { rememberMatch } from '../api.js';
import { routeForFailedRejoin, routeForMatchEnd, type MatchEnd } from '../match-end.js';
import { MatchLink } from '../net/match-link.js';
import { rejoinMatch } from '../net/matchmaking.js';
import type { Nav, Result, RouteOf, Screen } from '../nav.js';
import { Controls } from '../game/controls.js';
import { Hud } from '../game/hud.js';
import { startLoop } from '../game/loop.js';
import { Renderer } from '../game/renderer.js';
import { Sound } from '../game/sound.js';
import { gameHook } from '../game/test-hook.js';
import { button, el } from './dom.js';

const PING_EVERY_MS = 500;
// After `leave`, the peer connection stays up a moment so the frame is sent before it closes.
const CLOSE_GRACE_MS = 250;

export function gameScreen(nav: Nav, { matched: m }: RouteOf<'match'>): Screen {
  const me = nav.session.username;
  const canvas = el('canvas', { className: 'arena', ariaLabel: `Match against ${m.opponent}` });
  const banner = el('div', { className: 'banner', role: 'status' }, `Connecting to ${m.opponent}…`);
  const leaveButton = button('Leave', () => leave(), 'leave');
  const stage = el('div', { className: 'stage' }, canvas, banner, leaveButton);
  nav.root.replaceChildren(stage);
  document.body.classList.add('playing');

  let names: [string, string] = [me, m.opponent];
  const sound = new Sound();
  sound.unlock(); // the click on "Find match" already counts as the gesture in most browsers
  const renderer = new Renderer(canvas, names, sound);
  let hud: Hud | undefined;
  let last: RenderFrame | undefined;
  let over = false;
  rememberMatch({ username: me, matchId: m.matchId, opponent: m.opponent });
  const notice = overlay(stage);

  const client = new GameClient({
    sendControl: (b) => link.sendControl(b),
    sendState: (b) => link.sendState(b),
    now: () => performance.now(),
    // A silent server is a dead network as often as a dead server: take the seat back.
    onSilence: () => link.dropped(),
    onStart(info) {
      names = info.you === 0 ? [me, info.opponent] : [info.opponent, me];
      renderer.setNames(names);
      hud = new Hud(names, info.you);
      stage.prepend(hud.element);
      banner.textContent = 'Fight!';
      banner.classList.add('go');
      // The banner has said its word once the animation is over (or at once without motion).
      setTimeout(() => banner.remove(), 1200);
    },
    onEnd: (info) => end(info),
    onOpponentAway: (graceMs) => notice.countdown(graceMs),
    onOpponentBack: () => notice.hide(),
  });
  const controls = new Controls(window, {
    onKey: () => sound.unlock(),
    onLeave: () => leave(),
    onToggleDebug: () => hud?.toggleDebug(),
    onToggleMute: () => sound.toggleMute(),
  });
  const hook = gameHook(client, controls, () => link.cutOff());
  const rejoin = (signal: AbortSignal) => rejoinMatch(nav.session, m.matchId, signal);
  const link = new MatchLink(m.link, rejoin, {
    onControl: (b) => client.receiveControl(b),
    onState(b) {
      client.receiveState(b);
      hook.received();
    },
    onDrop() {
      client.dropped();
      notice.say('Reconnecting…');
    },
    onBack() {
      client.rejoined();
      notice.hide();
    },
    onGone(cause) {
      if (over) return;
      over = true;
      nav.go(routeForFailedRejoin(cause));
    },
  });
  link.start();

  let frames = 0;
  let fps = 0;
  let fpsSince = performance.now();
  const stopLoop = startLoop({
    stepMs: 1000 / TICK_RATE,
    // Two steps keep 60 inputs/s on a 30 Hz display. More catch-up after a stall would only
    // sit in the server's input queue (one input per tick) as lasting input delay.
    maxSteps: 2,
    step: () => client.input(controls.buttons),
    draw(now, dt) {
      const frame = client.frame();
      if (frame) last = frame;
      renderer.resize();
      if (frame)
        renderer.effects.setThrust(frame.you, (controls.buttons & Button.thrust) !== 0, now / 1000);
      renderer.draw(frame, now / 1000, dt / 1000);
      const stats = client.stats();
      hud?.update(frame, stats);
      frames++;
      if (now - fpsSince >= 1000) {
        fps = (frames * 1000) / (now - fpsSince);
        frames = 0;
        fpsSince = now;
      }
      if (hud?.debugShown) hud.showDebug(debugLines(fps, stats, renderer.particles.count));
      hook.drew(frame);
    },
  });
  const pinger = setInterval(() => client.ping(), PING_EVERY_MS);

  function leave() {
    if (over) return;
    over = true;
    client.leave();
    nav.go({ name: 'lobby', notice: 'You left the match.' });
  }

  function end(info: MatchEndInfo) {
    if (over) return;
    over = true;
    nav.go(routeForMatchEnd(info, resultOf));
  }

  /** The server's word on the score, not the prediction; the tick is the match's clock. */
  function resultOf(info: MatchEnd): Result {
    const final = client.latest;
    return {
      you: client.info?.you ?? 0,
      names,
      scores: [final?.ships[0].score ?? 0, final?.ships[1].score ?? 0],
      winnerSlot: info.winnerSlot,
      reason: info.reason,
      seconds: (final?.tick ?? last?.renderTick ?? 0) / TICK_RATE,
    };
  }

  // A reload or a closed tab mid-match is not a forfeit: the link goes down without `leave`,
  // the server holds the seat for RECONNECT_GRACE_MS and the reloaded tab takes it back.
  // Leave and Escape are the way to give the match up.
  const onExit = () => {
    if (over) return;
    over = true; // the closing link is no loss to report: the page is going
    link.close();
  };
  addEventListener('pagehide', onExit);

  return {
    dispose() {
      over = true;
      rememberMatch(null);
      notice.hide();
      stopLoop();
      clearInterval(pinger);
      controls.dispose();
      sound.dispose();
      hook.clear();
      removeEventListener('pagehide', onExit);
      document.body.classList.remove('playing');
      link.close(CLOSE_GRACE_MS);
    },
  };
}

/**
 * The word over a paused match: "Reconnecting…" while this tab takes its seat back, and
 * "Opponent reconnecting… 8 s" while the opponent's seat waits for them, counted down.
 */
function overlay(stage: HTMLElement) {
  const note = el('div', { className: 'banner away', role: 'status' });
  let timer: ReturnType<typeof setInterval> | undefined;
  const hide = () => {
    clearInterval(timer);
    timer = undefined;
    note.remove();
  };
  const say = (text: string) => {
    note.textContent = text;
    if (!note.isConnected) stage.append(note);
  };
  return {
    say(text: string) {
      hide();
      say(text);
    },
    countdown(graceMs: number) {
      hide();
      const until = performance.now() + graceMs;
      const left = () => Math.max(0, Math.ceil((until - performance.now()) / 1000));
      say(`Opponent reconnecting… ${left()} s`);
      timer = setInterval(() => say(`Opponent reconnecting… ${left()} s`), 250);
    },
    hide,
  };
}

function debugLines(fps: number, s: ReturnType<GameClient['stats']>, particles: number): string[] {
  const errors = s.predictionErrors;
  return [
    `fps        ${fps.toFixed(1)}`,
    `rtt        ${s.rttMs === undefined ? '–' : s.rttMs.toFixed(1)} ms`,
    `snapshots  ${s.snapshots} (${s.snapshotsDropped} dropped)`,
    `underruns  ${s.interpolationUnderruns}`,
    `pred. err  ${(errors[errors.length - 1] ?? 0).toFixed(2)} u`,
    `particles  ${particles}`,
  ];
}
