// WsGame page: join form, WebSocket session (docs/protocol.md), prediction and interpolation,
// panels. Everything a player typed is put in the page with textContent, never as markup.
import { CHARACTERS } from './sprites.js';
import { render } from './render.js';

const SPEED = 200;           // px/s: the server's WsGame:Game:MaxSpeed default
const SEND_INTERVAL = 40;    // ms between move messages while moving (25 Hz)
const INTERP_DELAY = 100;    // ms other players are drawn behind the newest update
const ATTACK_SHOW = 250;     // ms an attack pose lasts
const FLASH = 300;           // ms a hit victim flashes
const BODY = { width: 48, height: 64 };
const CHAT_KEEP = 200;

const $ = (id) => document.getElementById(id);
const ui = {
  joinPanel: $('join-panel'), joinForm: $('join-form'), name: $('name'), room: $('room'), sprites: $('sprites'),
  joinError: $('join-error'), gamePanel: $('game-panel'), side: $('side'), canvas: $('arena'),
  waiting: $('waiting'), disconnected: $('disconnected'), result: $('result'), resultText: $('result-text'), resultDetail: $('result-detail'),
  rematch: $('rematch'), exit: $('exit'), roomLabel: $('room-label'), connection: $('connection'),
  players: $('players'), chat: $('chat'), chatForm: $('chat-form'), chatInput: $('chat-input'),
};
const ctx = ui.canvas.getContext('2d');

const state = {
  ws: null, connected: false, joined: false, joining: false, exited: false,
  reconnectAttempts: 0, reconnectTimer: 0, reconnects: 0,
  joinInfo: null,                       // {name, sprite, room} the player asked for
  id: null, room: null, round: 0, arena: { width: 500, height: 400, sprite: 96 }, maxEnergy: 1,
  players: new Map(),                   // id -> player (below)
  result: null, rematchAsked: false,
  chat: [],                             // {kind: 'chat'|'status'|'error', sender, id, text}
  hits: 0,
  // What happened so far, for the test hook: a test that times out prints these.
  seen: { frames: 0, corrections: 0, snapshots: 0, rounds: 0, welcomes: 0, closes: [] },
};

// ---- join form --------------------------------------------------------------------------

for (const [i, name] of CHARACTERS.entries()) {
  const label = document.createElement('label');
  label.dataset.testid = `sprite-${name}`;
  const input = document.createElement('input');
  input.type = 'radio'; input.name = 'sprite'; input.value = name; input.checked = i === 0;
  input.id = `sprite-${name}`;
  const preview = document.createElement('span');
  preview.className = 'sprite-preview';
  preview.style.backgroundImage = `url(sprites/${name}.png)`;
  const caption = document.createElement('span');
  caption.textContent = name;
  label.append(input, preview, caption);
  ui.sprites.append(label);
}

ui.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = ui.name.value.trim();
  if (!name) { ui.joinError.textContent = 'Please enter a name.'; return; }
  const sprite = ui.joinForm.querySelector('input[name=sprite]:checked')?.value ?? 'knight';
  const room = ui.room.value.trim() || null;
  ui.joinError.textContent = '';
  state.joinInfo = { name, sprite, room };
  state.exited = false;
  ensureConnected();
  sendJoin();
});

// ---- connection -------------------------------------------------------------------------

function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

function ensureConnected() {
  if (state.ws && (state.ws.readyState === WebSocket.OPEN || state.ws.readyState === WebSocket.CONNECTING)) return;
  clearTimeout(state.reconnectTimer);
  const ws = new WebSocket(socketUrl());
  state.ws = ws;
  setConnection('connecting');
  ws.onopen = () => {
    if (state.ws !== ws) return;
    state.connected = true;
    state.reconnectAttempts = 0;
    setConnection('online');
    sendJoin();
    renderPanels();
  };
  ws.onmessage = (event) => {
    if (state.ws !== ws) return;
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    handle(message);
  };
  ws.onclose = (event) => {
    if (state.ws !== ws) return;
    const wasJoined = state.joined;
    state.seen.closes.push(event.code);
    state.ws = null; state.connected = false; state.joined = false; state.joining = false;
    setConnection('offline');
    if (event.code === 4002) {
      // Removed by an operator (docs/protocol.md): do not come back by ourselves.
      addChat({ kind: 'error', text: `Disconnected: ${event.reason}.` });
      state.exited = true; state.joinInfo = null; state.players.clear(); state.result = null;
      ui.joinError.textContent = `Disconnected: ${event.reason}.`;
      renderPanels();
      showJoin();
      return;
    }
    if (state.exited || !state.joinInfo) return;
    if (wasJoined) addChat({ kind: 'error', text: 'Disconnected from the server; reconnecting…' });
    held.length = 0;
    scheduleReconnect();
    renderPanels();
  };
}

function scheduleReconnect() {
  const delay = Math.min(5000, 250 * 2 ** state.reconnectAttempts) * (0.8 + Math.random() * 0.4);
  state.reconnectAttempts++;
  clearTimeout(state.reconnectTimer);
  state.reconnectTimer = setTimeout(() => { state.reconnects++; ensureConnected(); }, delay);
}

function send(message) {
  if (state.ws && state.ws.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(message));
}

function sendJoin() {
  if (!state.connected || state.joined || state.joining || !state.joinInfo || state.exited) return;
  state.joining = true;
  const { name, sprite, room } = state.joinInfo;
  const join = { type: 'join', name, sprite };
  if (room) join.room = room;
  send(join);
}

function setConnection(kind) {
  ui.connection.className = kind === 'online' ? 'online' : 'offline';
  ui.connection.dataset.state = kind;
  ui.connection.textContent = kind === 'online' ? 'connected' : kind === 'connecting' ? 'connecting…' : 'disconnected';
}

// ---- messages ---------------------------------------------------------------------------

function makePlayer(p, now) {
  return {
    id: p.id, name: p.name ?? '?', sprite: p.sprite ?? 'knight', wins: p.wins ?? 0,
    left: p.left, top: p.top, x: p.left, y: p.top, direction: p.direction ?? 'DOWN', status: p.status ?? 'STAY',
    energy: p.energy ?? 0, buffer: [{ t: now, left: p.left, top: p.top }],
    attackUntil: 0, flashUntil: 0, moving: false, lastMovedAt: 0,
  };
}

function resetPlayers(list) {
  const now = performance.now();
  state.players.clear();
  for (const p of list) state.players.set(p.id, makePlayer(p, now));
  const me = state.players.get(state.id);
  if (me) { predicted.x = me.left; predicted.y = me.top; predicted.direction = me.direction; }
  state.maxEnergy = Math.max(state.maxEnergy, ...list.map((p) => p.energy ?? 0));
}

function handle(m) {
  const now = performance.now();
  switch (m.type) {
    case 'welcome':
      state.seen.welcomes++;
      state.joined = true; state.joining = false;
      state.id = m.id; state.room = m.room; state.round = m.round ?? 0;
      state.arena = m.arena ?? state.arena;
      ui.canvas.width = state.arena.width; ui.canvas.height = state.arena.height;
      state.maxEnergy = m.you?.energy ?? 1;
      state.result = null; state.rematchAsked = false;
      resetPlayers(m.players ?? [m.you]);
      showGame();
      break;
    case 'round':
      state.seen.rounds++;
      state.round = m.round; state.result = null; state.rematchAsked = false;
      state.maxEnergy = 1;
      resetPlayers(m.players ?? []);
      break;
    case 'snapshot':
      state.seen.snapshots++;
      state.round = m.round ?? state.round;
      {
        const old = state.players;
        resetPlayers(m.players ?? []);
        for (const [id, p] of state.players) {
          const before = old.get(id);
          if (before && id === state.id) { predicted.x = p.left; predicted.y = p.top; }
        }
      }
      break;
    case 'update':
      applyUpdate(m, now);
      break;
    case 'correction':
      state.seen.corrections++;
      if (m.id === state.id || m.id === undefined) {
        predicted.x = m.left; predicted.y = m.top;
        const me = state.players.get(state.id);
        if (me) { me.left = m.left; me.top = m.top; }
      }
      break;
    case 'ko': {
      const won = m.winner === state.id;
      const lost = m.loser === state.id;
      state.result = { round: m.round, winner: m.winner ?? null, loser: m.loser ?? null, reason: m.reason, won, lost };
      const winner = state.players.get(m.winner);
      if (winner && m.reason === 'knockout') winner.wins++;
      break;
    }
    case 'chat':
      addChat({ kind: 'chat', sender: String(m.sender ?? ''), id: m.id, text: String(m.message ?? '') });
      break;
    case 'status':
      addChat({ kind: 'status', id: m.id, text: String(m.message ?? '') });
      break;
    case 'error':
      if (!state.joined) {
        state.joining = false;
        ui.joinError.textContent = String(m.message ?? 'Could not join.');
        if (state.exited || !state.joinInfo) break;
        // Refused to join (full room, bad name): go back to the form instead of retrying forever.
        state.joinInfo = null;
        showJoin();
      } else {
        addChat({ kind: 'error', text: String(m.message ?? 'error') });
      }
      break;
    default:
      break;
  }
  renderPanels();
}

function applyUpdate(m, now) {
  for (const p of m.joined ?? []) state.players.set(p.id, makePlayer(p, now));
  for (const id of m.left ?? []) state.players.delete(id);
  for (const u of m.players ?? []) {
    const p = state.players.get(u.id);
    if (!p) continue;
    if (u.energy !== undefined) p.energy = u.energy;
    if (u.id === state.id) continue;  // own position, direction and status are predicted
    if (u.direction) p.direction = u.direction;
    if (u.status) p.status = u.status;
    if (u.left !== undefined && u.top !== undefined) {
      if (u.left !== p.left || u.top !== p.top) p.lastMovedAt = now;
      p.left = u.left; p.top = u.top;
      p.buffer.push({ t: now, left: u.left, top: u.top });
      if (p.buffer.length > 20) p.buffer.splice(0, p.buffer.length - 20);
    }
  }
  for (const attack of m.attacks ?? []) {
    const attacker = state.players.get(attack.id);
    if (attacker) {
      if (attack.direction) attacker.direction = attacker.id === state.id ? attacker.direction : attack.direction;
      if (attacker.id !== state.id) attacker.attackUntil = now + ATTACK_SHOW;
    }
    for (const hit of attack.hits ?? []) {
      const victim = state.players.get(hit.id);
      if (victim) { victim.energy = hit.energy; victim.flashUntil = now + FLASH; state.hits++; }
    }
  }
}

function addChat(line) {
  state.chat.push(line);
  if (state.chat.length > CHAT_KEEP) state.chat.shift();
  const li = document.createElement('li');
  li.className = line.kind;
  if (line.kind === 'chat') {
    const sender = document.createElement('span');
    sender.className = 'sender';
    sender.textContent = `${line.sender}:`;
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = line.text;
    li.append(sender, text);
  } else {
    li.textContent = line.text;
  }
  li.dataset.testid = `chat-${line.kind}`;
  const atBottom = ui.chat.scrollTop + ui.chat.clientHeight >= ui.chat.scrollHeight - 8;
  ui.chat.append(li);
  while (ui.chat.children.length > CHAT_KEEP) ui.chat.firstElementChild.remove();
  if (atBottom) ui.chat.scrollTop = ui.chat.scrollHeight;
}

// ---- panels -----------------------------------------------------------------------------

function showGame() {
  ui.joinPanel.hidden = true;
  ui.gamePanel.hidden = false; ui.side.hidden = false; ui.exit.hidden = false; ui.roomLabel.hidden = false;
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  ui.canvas.focus();
  fitCanvas();
}

/** Scales the canvas (CSS size only: the drawing stays at arena pixels) to fit the stage, pixelated. */
function fitCanvas() {
  const stage = ui.canvas.parentElement;
  const border = 4;
  const scale = Math.max(0.25, Math.min((stage.clientWidth - border) / ui.canvas.width, (stage.clientHeight - border) / ui.canvas.height));
  ui.canvas.style.width = `${Math.floor(ui.canvas.width * scale)}px`;
  ui.canvas.style.height = `${Math.floor(ui.canvas.height * scale)}px`;
}
window.addEventListener('resize', fitCanvas);

function showJoin() {
  ui.joinPanel.hidden = false;
  ui.gamePanel.hidden = true; ui.side.hidden = true; ui.exit.hidden = true; ui.roomLabel.hidden = true;
  ui.name.focus();
}

function renderPanels() {
  ui.roomLabel.textContent = state.room ? `Room: ${state.room}` : '';
  ui.players.replaceChildren(...[...state.players.values()].map((p) => {
    const li = document.createElement('li');
    li.dataset.id = p.id;
    li.dataset.testid = 'player';
    if (p.id === state.id) li.className = 'me';
    const name = document.createElement('span');
    name.className = 'player-name';
    name.textContent = p.id === state.id ? `${p.name} (you)` : p.name;
    const info = document.createElement('span');
    info.className = 'player-info';
    info.textContent = `${p.sprite} · ♥ ${p.energy} · wins ${p.wins}`;
    li.append(name, info);
    return li;
  }));
  const lost = !state.joined && !!state.joinInfo && !state.exited && !ui.gamePanel.hidden;
  ui.disconnected.hidden = !lost;
  ui.waiting.hidden = lost || !state.joined || state.players.size >= 2 || !!state.result;
  const r = state.result;
  ui.result.hidden = !r;
  if (r) {
    ui.result.className = `overlay ${r.won ? 'won' : r.lost ? 'lost' : ''}`;
    ui.resultText.textContent = r.won ? 'You won' : r.lost ? 'You lost' : 'Round over';
    const winner = state.players.get(r.winner)?.name;
    ui.resultDetail.textContent = r.reason === 'left' ? 'Your opponent left.'
      : state.rematchAsked ? 'Waiting for your opponent to accept the rematch…'
      : winner ? `${winner} wins round ${r.round}.` : `Round ${r.round} is over.`;
    ui.rematch.disabled = state.rematchAsked;
  }
}

ui.rematch.addEventListener('click', () => {
  state.rematchAsked = true;
  send({ type: 'rematch' });
  renderPanels();
});

ui.exit.addEventListener('click', () => {
  state.exited = true;
  send({ type: 'leave' });
  clearTimeout(state.reconnectTimer);
  const ws = state.ws;
  state.ws = null; state.joined = false; state.connected = false; state.id = null; state.room = null;
  state.players.clear(); state.result = null; state.joinInfo = null;
  setTimeout(() => ws?.close(1000, 'exit'), 200);
  setConnection('offline');
  renderPanels();
  showJoin();
});

ui.chatForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = ui.chatInput.value;
  if (!text.trim()) return;
  send({ type: 'chat', message: text });
  ui.chatInput.value = '';
});

// ---- input and prediction ---------------------------------------------------------------

const KEYS = {
  ArrowUp: 'UP', KeyW: 'UP', ArrowDown: 'DOWN', KeyS: 'DOWN',
  ArrowLeft: 'LEFT', KeyA: 'LEFT', ArrowRight: 'RIGHT', KeyD: 'RIGHT',
};
const held = [];                 // directions held, most recent last
const predicted = { x: 0, y: 0, direction: 'DOWN', moving: false, lastSent: 0, sentStop: true, attackUntil: 0 };

function typing(event) {
  const t = event.target;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

window.addEventListener('keydown', (event) => {
  if (typing(event) || !state.joined) return;
  const dir = KEYS[event.code];
  if (dir) {
    event.preventDefault();
    if (!held.includes(dir)) held.push(dir);
  } else if (event.code === 'Space') {
    event.preventDefault();
    attack();
  }
});
window.addEventListener('keyup', (event) => {
  const dir = KEYS[event.code];
  if (dir) { const i = held.indexOf(dir); if (i >= 0) held.splice(i, 1); }
});
window.addEventListener('blur', () => { held.length = 0; });

let lastAttack = 0;
function attack() {
  const now = performance.now();
  if (now - lastAttack < 80 || state.result) return;
  lastAttack = now;
  const me = state.players.get(state.id);
  if (!me || me.energy <= 0) return;
  predicted.attackUntil = now + ATTACK_SHOW;
  send({ type: 'attack' });
}

function bodyOf(x, y) {
  const s = state.arena.sprite;
  return { x: x + (s - BODY.width) / 2, y: y + s - BODY.height, w: BODY.width, h: BODY.height };
}
function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
function blocked(x, y) {
  const mine = bodyOf(x, y);
  for (const p of state.players.values()) {
    if (p.id === state.id || p.energy <= 0) continue;
    if (overlaps(mine, bodyOf(p.left, p.top))) return true;
  }
  return false;
}

function step(dt, now) {
  const me = state.players.get(state.id);
  if (!me) return;
  let dx = 0, dy = 0;
  for (const d of held) {
    if (d === 'LEFT') dx -= 1; else if (d === 'RIGHT') dx += 1; else if (d === 'UP') dy -= 1; else if (d === 'DOWN') dy += 1;
  }
  const canMove = me.energy > 0 && !state.result;
  const moving = canMove && (dx !== 0 || dy !== 0);
  if (held.length) predicted.direction = held[held.length - 1];
  if (moving) {
    const length = Math.hypot(dx, dy);
    const distance = SPEED * dt;
    const maxX = state.arena.width - state.arena.sprite, maxY = state.arena.height - state.arena.sprite;
    const nx = Math.max(0, Math.min(maxX, predicted.x + dx / length * distance));
    if (!blocked(nx, predicted.y)) predicted.x = nx;
    const ny = Math.max(0, Math.min(maxY, predicted.y + dy / length * distance));
    if (!blocked(predicted.x, ny)) predicted.y = ny;
  }
  me.x = predicted.x; me.y = predicted.y; me.direction = predicted.direction;
  me.moving = moving; me.attackUntil = predicted.attackUntil;

  const rx = Math.round(predicted.x), ry = Math.round(predicted.y);
  if (moving && now - predicted.lastSent >= SEND_INTERVAL) {
    send({ type: 'move', left: rx, top: ry, direction: predicted.direction, status: 'MOVE' });
    predicted.lastSent = now; predicted.sentStop = false;
    me.left = rx; me.top = ry;
  } else if (!moving && !predicted.sentStop) {
    send({ type: 'move', left: rx, top: ry, direction: predicted.direction, status: 'STAY' });
    predicted.lastSent = now; predicted.sentStop = true;
    me.left = rx; me.top = ry;
  }
}

function interpolate(now) {
  const renderAt = now - INTERP_DELAY;
  for (const p of state.players.values()) {
    if (p.id === state.id) continue;
    const b = p.buffer;
    while (b.length >= 2 && b[1].t <= renderAt) b.shift();
    if (b.length >= 2 && b[0].t <= renderAt) {
      const k = (renderAt - b[0].t) / Math.max(1, b[1].t - b[0].t);
      p.x = b[0].left + (b[1].left - b[0].left) * k;
      p.y = b[0].top + (b[1].top - b[0].top) * k;
    } else {
      p.x = b[0].left; p.y = b[0].top;
    }
    p.moving = p.status === 'MOVE' && now - p.lastMovedAt < 200;
  }
}

let last = performance.now();
function frame(now) {
  // The next frame is asked for first: an error in one frame is reported, but never stops the game.
  requestAnimationFrame(frame);
  const dt = Math.min(0.1, (now - last) / 1000);
  last = now;
  state.seen.frames++;
  if (state.joined) {
    step(dt, now);
    interpolate(now);
    render(ctx, {
      maxEnergy: state.maxEnergy,
      players: [...state.players.values()].map((p) => ({ ...p, me: p.id === state.id, knockedOut: p.energy <= 0 })),
    }, now);
  }
}
requestAnimationFrame(frame);

// ---- read-only test hook ----------------------------------------------------------------

window.wsgame = Object.freeze({
  state: () => ({
    connected: state.connected,
    joined: state.joined,
    id: state.id,
    room: state.room,
    round: state.round,
    reconnects: state.reconnects,
    hits: state.hits,
    arena: { ...state.arena },
    players: [...state.players.values()].map((p) => ({
      id: p.id, name: p.name, sprite: p.sprite, me: p.id === state.id,
      left: p.id === state.id ? Math.round(predicted.x) : p.left,
      top: p.id === state.id ? Math.round(predicted.y) : p.top,
      direction: p.direction, energy: p.energy, wins: p.wins,
    })),
    result: state.result ? { ...state.result } : null,
    chat: state.chat.map((line) => ({ ...line })),
    held: [...held],
    seen: { ...state.seen, closes: [...state.seen.closes] },
  }),
});

setConnection('offline');
ui.connection.textContent = 'not connected';
ui.name.focus();
renderPanels();
