// The client's composition root: the only module that knows the screens. Each route's screen
// is built from the Nav it is given (web/src/nav.ts), never from the app, so screens do not
// import one another or this module.
import { forget, holdPresence, rememberedMatch, resume } from './api.js';
import { logFailure } from './log.js';
import type { ScreenTable } from './nav.js';
import { Navigator } from './navigator.js';
import { connectScreen } from './ui/connect.js';
import { gameScreen } from './ui/game-screen.js';
import { lobbyScreen } from './ui/lobby.js';
import { rejoinScreen } from './ui/rejoin.js';
import { resultsScreen } from './ui/results.js';
import { waitingScreen } from './ui/waiting.js';

const SCREENS: ScreenTable = {
  connect: connectScreen,
  lobby: lobbyScreen,
  waiting: waitingScreen,
  rejoin: rejoinScreen,
  match: gameScreen,
  results: resultsScreen,
};

/** Shows the tab's first screen in `root`: the lobby of the browser's session, or the login form. */
export function startApp(root: HTMLElement): Navigator {
  const nav = new Navigator(root, SCREENS, { resume, hold: holdPresence, forget, rememberedMatch });
  nav.start().catch(logFailure('starting'));
  return nav;
}
