// The browser client: one Navigator that moves between the connect screen, the lobby, the
// waiting room, the match and its results.
import { startApp } from './app.js';

const root = document.getElementById('app');
if (!root) throw new Error('index.html has no #app');
startApp(root);
