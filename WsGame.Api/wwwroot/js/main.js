// WsGame page: wires the lobby, the socket (net.js), the room model, the player's controls, the panels and the
// arena together, following the protocol in docs/protocol.md. Each of those lives in its own module; this one
// only decides what a message or a click means for them.
import { GameSocket, savedSeat, SEAT_TAKEN_OVER, REMOVED_BY_OPERATOR } from './net.js';
import { DEFAULT_RULES, rulesFrom } from './rules.js';
import { useCharacters } from './sprites.js';
import { Room } from './room.js';
import { Controls } from './controls.js';
import { ChatLog } from './chat.js';
import { Hud } from './hud.js';
import { Lobby, rememberedJoin, rememberJoin } from './lobby.js';
import { Profile, ratingChangeText } from './profile.js';
import { render } from './render.js';
import { installTestHook } from './hook.js';

const SEQ_LOG = 2000;         // seqs kept for the test hook

const session = {
  mode: null,                 // 'play' | 'watch' | null (in the lobby)
  joinInfo: null,             // {name, sprite, room} the player typed: joined again when a resume is refused
  watchRoom: null,
  live: false,                // the current connection has its welcome
  lostAt: null,               // performance.now() when a connection in a room was lost
  rules: DEFAULT_RULES,       // until the first welcome
  seqs: [],                   // every seq applied, newest last (the hook checks them for gaps and repeats)
  seen: { frames: 0, corrections: 0, snapshots: 0, rounds: 0, welcomes: 0, closes: [] },
};
const room = new Room();
const hud = new Hud();
const chat = new ChatLog(document.getElementById('chat'));
const socket = new GameSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`, {
  state: (kind) => hud.setConnection(kind),
  message: (m) => handle(m),
  closed: (info) => closed(info),
  refused: (m) => refused(m),
});
const controls = new Controls(room, () => session.rules, (m) => socket.send(m));
const profile = new Profile();
const lobby = new Lobby({ join, watch, refreshed: () => profile.refresh() });
const ctx = document.getElementById('arena').getContext('2d');

// ---- starting and ending a session ------------------------------------------------------

function join(info) {
  session.mode = 'play'; session.joinInfo = info; session.watchRoom = null;
  rememberJoin(info);
  socket.forget();   // what was typed wins over a seat this tab may still remember
  socket.start(joinMessage);
}

function joinMessage() {
  const info = session.joinInfo;
  if (!info) return null;
  const m = { type: 'join', name: info.name, sprite: info.sprite };
  if (info.room) m.room = info.room;
  if (profile.token) m.profile = profile.token;
  return m;
}

function watch(roomName) {
  session.mode = 'watch'; session.watchRoom = roomName;
  socket.forget();
  const name = document.getElementById('name').value.trim();
  // A spectator's connection that drops comes back by watching again: it has no seat to resume.
  socket.start(() => (name ? { type: 'spectate', room: session.watchRoom, name } : { type: 'spectate', room: session.watchRoom }));
}

/** Back to the lobby, out of any room; `error` is shown under the form. */
function endSession(error) {
  session.mode = null; session.joinInfo = null; session.watchRoom = null;
  session.live = false; session.lostAt = null;
  rememberJoin(null);
  room.clear();
  controls.enabled = false; controls.release();
  hud.hideGame();
  lobby.show(error);
}

document.getElementById('exit').addEventListener('click', () => {
  // Exit gives the seat up (leave, then a close with 1000); a lost connection would hold it instead.
  socket.leave();
  endSession('');
});

document.getElementById('rematch').addEventListener('click', () => {
  if (room.spectator) return;
  room.rematchAsked = true;
  socket.send({ type: 'rematch' });
  redraw();
});

document.getElementById('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('chat-input');
  if (!input.value.trim()) return;
  if (!session.live || !socket.send({ type: 'chat', message: input.value })) {
    chat.notice('error', 'Not connected: the message was not sent.');
    return;
  }
  input.value = '';
});

// The network is back: no need to wait out the backoff.
window.addEventListener('online', () => socket.retryNow());

// ---- the socket's events ----------------------------------------------------------------

function closed({ code, final, hadWelcome }) {
  session.seen.closes.push(code);
  session.live = false;
  controls.enabled = false; controls.release();
  // Decided by the code, never by the reason text (docs/protocol.md, close codes).
  if (code === SEAT_TAKEN_OVER) {
    chat.notice('error', 'This seat was taken over in another tab.');
    endSession('This seat was taken over in another tab.');
    return;
  }
  if (code === REMOVED_BY_OPERATOR) {
    chat.notice('error', 'Disconnected: removed by an operator.');
    endSession('Disconnected: removed by an operator.');
    return;
  }
  if (final) return;
  if (hadWelcome) {
    session.lostAt = performance.now();
    chat.notice('error', 'Disconnected from the server; reconnecting…');
  }
  redraw();
}

/** The server would not give the seat back (expired, or a restarted server never knew it). */
function refused(m) {
  if (session.mode === 'play' && session.joinInfo) {
    chat.notice('status', `${String(m.message ?? 'Cannot resume.')} Joining again.`);
    return;   // the socket now sends joinMessage() on the same connection
  }
  socket.stop();
  endSession('');
}

function handle(m) {
  const now = performance.now();
  if (typeof m.seq === 'number') {
    session.seqs.push(m.seq);
    if (session.seqs.length > SEQ_LOG) session.seqs.shift();
  }
  switch (m.type) {
    case 'welcome': welcome(m, now); break;
    case 'round':
      document.getElementById('rating-change').textContent = '';
      session.seen.rounds++;
      room.newRound(m, now);
      controls.resetTo(room.me);
      break;
    case 'snapshot':
      session.seen.snapshots++;
      room.snapshot(m, now);
      controls.resetTo(room.me);
      break;
    case 'update': room.update(m, now); break;
    case 'correction':
      session.seen.corrections++;
      if ((m.id === room.id || m.id === undefined) && room.me) {
        controls.resetTo({ left: m.left, top: m.top });
        room.me.left = m.left; room.me.top = m.top;
      }
      break;
    case 'ko':
      room.ko(m);
      document.getElementById('rating-change').textContent = room.spectator ? '' : (ratingChangeText(m, room.id) ?? '');
      break;
    case 'chat': chat.chat(m); break;
    case 'status': chat.notice('status', m.message, m.id); break;
    case 'error':
      if (!session.live) {
        // A join or spectate refused (a full room, a bad name, a room that closed): back to the form with
        // the reason rather than asking again forever.
        socket.stop();
        endSession(String(m.message ?? 'Could not join.'));
        return;
      }
      chat.notice('error', m.message ?? 'error');
      break;
    default:
      break;
  }
  redraw();
}

function welcome(m, now) {
  session.seen.welcomes++;
  session.live = true; session.lostAt = null;
  session.rules = rulesFrom(m, session.rules);
  useCharacters(session.rules.sprites);
  lobby.setCharacters(session.rules.sprites);
  document.getElementById('name').maxLength = session.rules.maxNameLength;
  room.welcome(m, now);
  profile.welcomed(m.profile);
  controls.resetTo(room.me);
  controls.enabled = !room.spectator;
  lobby.hide();
  hud.showGame(room, session.rules);
}

function redraw() {
  hud.render(room, { live: session.live, lostAt: session.lostAt, hasSeat: socket.hasSeat }, session.rules, performance.now());
}

// ---- the arena, every frame ---------------------------------------------------------------

let last = performance.now();
function frame(now) {
  // The next frame is asked for first: an error in one frame is reported, but never stops the game.
  requestAnimationFrame(frame);
  const dt = Math.min(0.1, (now - last) / 1000);
  last = now;
  session.seen.frames++;
  if (!room.name) return;
  if (session.live) controls.step(dt, now);
  // Others are drawn two ticks behind the newest update, so there are two positions to move between.
  room.interpolate(now, 2000 / session.rules.tickRate);
  render(ctx, {
    maxEnergy: session.rules.energy,
    players: [...room.players.values()].map((p) => ({
      ...p, me: p.id === room.id, knockedOut: p.energy <= 0, away: !p.connected,
    })),
  }, now);
  hud.tick(room, { live: session.live, lostAt: session.lostAt, hasSeat: socket.hasSeat }, session.rules, now);
}
requestAnimationFrame(frame);

installTestHook({ session, room, socket, controls, chat, hud, lobby, profile });

// ---- first load ---------------------------------------------------------------------------

hud.setConnection('offline');
document.getElementById('connection').textContent = 'not connected';
if (savedSeat()) {
  // This tab had a seat before a reload (the browser closed with 1001, so the server holds it): take it back.
  // Should the server refuse, what the player typed last joins again, or the lobby comes back.
  session.mode = 'play'; session.joinInfo = rememberedJoin();
  socket.start(joinMessage);
}
lobby.show();
redraw();
