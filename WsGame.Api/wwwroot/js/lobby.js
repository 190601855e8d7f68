// The lobby: the join form (name, character, room) and the list of live rooms from GET /api/rooms, each with a
// Watch button. The list is fetched again every few seconds while the lobby is on screen, and not at all
// otherwise. Room and player names were typed by people: they go in with textContent only.
import { CHARACTERS } from './sprites.js';

const REFRESH = 3000;            // ms between fetches of the room list while the lobby is shown
const JOIN_KEY = 'wsgame.join';  // what the player typed, kept per tab so a reload can join again

export class Lobby {
  /**
   * @param {{join(info: {name: string, sprite: string, room: string|null}): void, watch(room: string): void, refreshed?(): void}} on
   *   `refreshed` is called each time the list is fetched (the leaderboard and the record refresh with it)
   */
  constructor(on) {
    this.on = on;
    this.panel = document.getElementById('join-panel');
    this.form = document.getElementById('join-form');
    this.name = document.getElementById('name');
    this.room = document.getElementById('room');
    this.picker = document.getElementById('sprites');
    this.error = document.getElementById('join-error');
    this.list = document.getElementById('rooms');
    this.listNote = document.getElementById('rooms-note');
    this.rooms = [];             // the last list fetched, for the test hook
    this.fetches = 0;
    this.timer = 0;

    // Before any welcome the page only knows the server's default characters (sprites.js); a welcome's
    // rules.sprites replaces them through setCharacters().
    this.setCharacters(CHARACTERS);
    this.form.addEventListener('submit', (event) => {
      event.preventDefault();
      const name = this.name.value.trim();
      if (!name) { this.error.textContent = 'Please enter a name.'; return; }
      const sprite = this.form.querySelector('input[name=sprite]:checked')?.value ?? this.picker.dataset.first;
      this.error.textContent = '';
      this.on.join({ name, sprite, room: this.room.value.trim() || null });
    });
    document.addEventListener('visibilitychange', () => { if (this.shown) this.refresh(); });
  }

  get shown() { return !this.panel.hidden; }

  show(error) {
    this.panel.hidden = false;
    if (error !== undefined) this.error.textContent = error;
    this.name.focus();
    this.refresh();
  }

  hide() {
    this.panel.hidden = true;
    clearTimeout(this.timer); this.timer = 0;
  }

  showError(text) { this.error.textContent = text; }

  /** One radio per character with its idle frame; keeps the choice when the character is still offered. */
  setCharacters(names) {
    const chosen = this.form.querySelector('input[name=sprite]:checked')?.value;
    const labels = names.map((name, i) => {
      const label = document.createElement('label');
      label.dataset.testid = `sprite-${name}`;
      const input = document.createElement('input');
      input.type = 'radio'; input.name = 'sprite'; input.value = name; input.id = `sprite-${name}`;
      input.checked = chosen ? name === chosen : i === 0;
      const preview = document.createElement('span');
      preview.className = 'sprite-preview';
      preview.style.backgroundImage = `url(sprites/${encodeURIComponent(name)}.png)`;
      const caption = document.createElement('span');
      caption.textContent = name;
      label.append(input, preview, caption);
      return label;
    });
    this.picker.replaceChildren(this.picker.querySelector('legend'), ...labels);
    this.picker.dataset.first = names[0];
    const first = labels[0]?.querySelector('input');
    if (first && !this.form.querySelector('input[name=sprite]:checked')) first.checked = true;
  }

  /** Fetches the room list now, then again every REFRESH ms while the lobby is shown and the tab visible. */
  async refresh() {
    clearTimeout(this.timer); this.timer = 0;
    if (!this.shown || document.hidden) return;
    this.on.refreshed?.();
    try {
      const response = await fetch('api/rooms', { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const rooms = await response.json();
      this.fetches++;
      if (this.shown) this.render(Array.isArray(rooms) ? rooms : []);
    } catch {
      // The server is away (a restart, a lost network): say so and keep trying.
      this.listNote.textContent = 'The room list is unavailable right now.';
    }
    if (this.shown && !this.timer) this.timer = setTimeout(() => this.refresh(), REFRESH);
  }

  render(rooms) {
    this.rooms = rooms.map((r) => ({
      name: String(r.name), phase: String(r.phase), round: r.round, spectators: r.spectators,
      players: (r.players ?? []).map((p) => ({ name: String(p.name), connected: p.connected !== false })),
    }));
    this.listNote.textContent = this.rooms.length ? '' : 'No room is open right now.';
    this.list.replaceChildren(...this.rooms.map((room) => {
      const li = document.createElement('li');
      li.dataset.testid = 'lobby-room';
      li.dataset.room = room.name;
      const title = document.createElement('span');
      title.className = 'room-name';
      title.textContent = room.name;
      const who = document.createElement('span');
      who.className = 'room-players';
      who.textContent = room.players.length
        ? room.players.map((p) => (p.connected ? p.name : `${p.name} (away)`)).join(' vs ')
        : 'nobody yet';
      const info = document.createElement('span');
      info.className = 'room-info';
      info.textContent = `${describePhase(room)} · ${room.spectators} watching`;
      const watch = document.createElement('button');
      watch.type = 'button';
      watch.textContent = 'Watch';
      watch.dataset.testid = 'watch';
      watch.addEventListener('click', () => this.on.watch(room.name));
      li.append(title, who, info, watch);
      return li;
    }));
  }
}

function describePhase(room) {
  if (room.phase === 'live') return `round ${room.round}`;
  if (room.phase === 'over') return `round ${room.round} over`;
  return 'waiting for players';
}

/** What the player typed last in this tab ({name, sprite, room}), if it is kept. */
export function rememberedJoin() {
  try {
    const info = JSON.parse(sessionStorage.getItem(JOIN_KEY) ?? 'null');
    return info && typeof info.name === 'string' ? info : null;
  } catch {
    return null;
  }
}

export function rememberJoin(info) {
  try {
    if (info) sessionStorage.setItem(JOIN_KEY, JSON.stringify(info)); else sessionStorage.removeItem(JOIN_KEY);
  } catch { /* storage disabled: a reload starts from the form */ }
}
