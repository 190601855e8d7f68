// The player's guest profile: its token is kept in localStorage (every tab and visit of this browser is the
// same profile), sent with each join, and replaced by whatever token a welcome carries (a fresh profile when
// the server did not know the old one). The join panel shows the record; the leaderboard panel the best.
// Names were typed by people: they go in with textContent only.

const TOKEN_KEY = 'wsgame.profile';
const BOARD_SIZE = 10;

export class Profile {
  constructor() {
    this.record = document.getElementById('my-record');
    this.board = document.getElementById('leaderboard');
    this.boardNote = document.getElementById('leaderboard-note');
    this.id = null;
    this.entries = [];           // the last leaderboard fetched, for the test hook
  }

  /** The token to send with a join, if this browser has one. */
  get token() {
    try { return localStorage.getItem(TOKEN_KEY); } catch { return null; }
  }

  /** A welcome's `profile`: kept, and shown as the player's record. */
  welcomed(profile) {
    if (!profile || typeof profile.token !== 'string') return;
    try { localStorage.setItem(TOKEN_KEY, profile.token); } catch { /* private mode: this visit only */ }
    this.id = String(profile.id);
    this.show(profile);
  }

  show(p) {
    this.record.hidden = false;
    this.record.textContent = `Your rating ${p.rating} · ${p.wins} won, ${p.losses} lost`;
  }

  /** Fetches the player's record (when known) and the leaderboard, for the lobby. */
  async refresh() {
    const id = this.id ?? this.token?.split('.')[0];
    if (id && /^[0-9a-f]{16}$/.test(id)) {
      try {
        const response = await fetch(`api/profiles/${id}`, { cache: 'no-store' });
        if (response.ok) this.show(await response.json());
      } catch { /* the lobby still works without it */ }
    }
    try {
      const response = await fetch(`api/leaderboard?top=${BOARD_SIZE}`, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.render(await response.json());
    } catch {
      this.boardNote.textContent = 'The leaderboard is unavailable right now.';
    }
  }

  render(entries) {
    this.entries = (Array.isArray(entries) ? entries : []).map((e) => ({
      profileId: String(e.profileId), name: String(e.name), rating: Number(e.rating), wins: Number(e.wins), losses: Number(e.losses),
    }));
    this.boardNote.textContent = this.entries.length ? '' : 'Nobody has finished a round yet.';
    this.board.replaceChildren(...this.entries.map((e) => {
      const li = document.createElement('li');
      li.dataset.testid = 'leaderboard-entry';
      if (e.profileId === this.id) li.classList.add('me');
      const name = document.createElement('span');
      name.className = 'board-name';
      name.textContent = e.name;
      const score = document.createElement('span');
      score.className = 'board-score';
      score.textContent = `${e.rating} · ${e.wins}–${e.losses}`;
      li.append(name, score);
      return li;
    }));
  }
}

/** "+16" or "−16": what a ko's `ratings` say this player's rating did. */
export function ratingChangeText(ko, playerId) {
  const mine = (ko.ratings ?? []).find((r) => r.id === playerId);
  if (!mine) return null;
  const change = Number(mine.change);
  return `${change >= 0 ? '+' : '−'}${Math.abs(change)} (rating ${mine.rating})`;
}
