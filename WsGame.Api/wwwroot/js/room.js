// What the page knows of its room: who is in it, where they are, the round and its result, and who is away
// with a held seat. It is fed the server's messages (docs/protocol.md) and touches no DOM and no socket.

const ATTACK_SHOW = 250;     // ms an attack pose lasts
const FLASH = 300;           // ms a hit victim flashes
const BUFFER = 20;           // positions kept per player for interpolation

export class Room {
  constructor() {
    this.arena = { width: 500, height: 400, sprite: 96, view: 0 };   // until a welcome says otherwise
    this.clear();
  }

  /** Out of any room (before joining, after leaving). */
  clear() {
    this.id = null;             // our id: a player's "1", "2"... or a spectator's "s1"...
    this.name = null;
    this.round = 0;
    this.phase = 'waiting';     // waiting | live | over
    this.spectator = false;
    this.players = new Map();   // id -> player (makePlayer)
    this.gone = new Map();      // id -> name of players who left: a ko can name them after their seat is gone
    this.result = null;         // the last ko of this round, or a round known to be over
    this.rematchAsked = false;
    this.hits = 0;
  }

  get me() { return this.players.get(this.id); }

  /** A welcome (join, resume or spectate) gives the whole room. */
  welcome(m, now) {
    this.id = m.id;
    this.name = m.room;
    this.arena = { ...this.arena, ...m.arena };
    this.spectator = m.spectator === true;
    this.round = m.round ?? 0;
    this.phase = m.phase ?? 'waiting';
    this.rematchAsked = false;
    // Resumed into a round that ended while away: the ko that says who won may have been replaced by a
    // snapshot, so the round is shown as over without a winner (a replayed ko fills it in).
    this.result = this.phase === 'over'
      ? { round: this.round, winner: null, loser: null, reason: null, winnerName: null, loserName: null } : null;
    this.reset(m.players ?? (m.you ? [m.you] : []), now);
  }

  /** A new round (the first, or a rematch): energy and positions reset. */
  newRound(m, now) {
    this.round = m.round;
    this.phase = 'live';
    this.result = null; this.rematchAsked = false;
    this.reset(m.players ?? [], now);
  }

  /** A snapshot replaces the room: after a resume, it stands for every message that was not replayed. */
  snapshot(m, now) {
    this.round = m.round ?? this.round;
    this.reset(m.players ?? [], now);
  }

  update(m, now) {
    for (const p of m.joined ?? []) this.players.set(p.id, makePlayer(p, now));
    for (const id of m.left ?? []) {
      const p = this.players.get(id);
      if (p) this.gone.set(id, p.name);
      this.players.delete(id);
    }
    for (const u of m.players ?? []) {
      const p = this.players.get(u.id);
      if (!p) continue;
      // An entry without `connected` is of a connected player (docs/protocol.md, every tick).
      setConnected(p, u.connected !== false, now);
      if (u.energy !== undefined) p.energy = u.energy;
      if (u.id === this.id) continue;  // our own position, direction and status are predicted
      if (u.direction) p.direction = u.direction;
      if (u.status) p.status = u.status;
      if (u.left !== undefined && u.top !== undefined) {
        if (u.left !== p.left || u.top !== p.top) p.lastMovedAt = now;
        p.left = u.left; p.top = u.top;
        p.buffer.push({ t: now, left: u.left, top: u.top });
        if (p.buffer.length > BUFFER) p.buffer.splice(0, p.buffer.length - BUFFER);
      }
    }
    for (const attack of m.attacks ?? []) {
      const attacker = this.players.get(attack.id);
      if (attacker && attacker.id !== this.id) {
        if (attack.direction) attacker.direction = attack.direction;
        attacker.attackUntil = now + ATTACK_SHOW;
      }
      for (const hit of attack.hits ?? []) {
        const victim = this.players.get(hit.id);
        if (victim) { victim.energy = hit.energy; victim.flashUntil = now + FLASH; this.hits++; }
      }
    }
  }

  ko(m) {
    this.phase = 'over';
    // A forfeit's or a leave's ko comes after the update that took the loser out of the room: its name is
    // looked up among those who left too.
    const nameOf = (id) => this.players.get(id)?.name ?? this.gone.get(id) ?? null;
    this.result = {
      round: m.round, winner: m.winner ?? null, loser: m.loser ?? null, reason: m.reason ?? null,
      winnerName: nameOf(m.winner), loserName: nameOf(m.loser),
      won: !this.spectator && m.winner === this.id, lost: !this.spectator && m.loser === this.id,
    };
    // A win is counted for a knock-out and a forfeit, not when the last opponent left (docs/protocol.md, ko).
    const winner = this.players.get(m.winner);
    if (winner && (m.reason === 'knockout' || m.reason === 'forfeit')) winner.wins++;
  }

  /**
   * Players whose seat is held while their connection is lost, with the seconds of grace left. The count
   * starts when this page saw them go, or, for one already away when we arrived (a welcome, a snapshot or a
   * round), from the `graceLeftMs` the server sent; without either, `secondsLeft` is null rather than a guess.
   */
  away(now, graceMs) {
    const list = [];
    for (const p of this.players.values()) {
      if (p.connected || p.id === this.id) continue;
      const end = p.awayUntil ?? (p.awaySince === null ? null : p.awaySince + graceMs);
      const secondsLeft = end === null ? null : Math.max(0, Math.ceil((end - now) / 1000));
      list.push({ id: p.id, name: p.name, secondsLeft });
    }
    return list;
  }

  /** Moves the other players (every player, for a spectator) to where they are drawn: `delay` ms behind. */
  interpolate(now, delay) {
    const renderAt = now - delay;
    for (const p of this.players.values()) {
      if (p.id === this.id) continue;  // drawn where it is predicted (controls.js)
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

  reset(list, now) {
    const before = this.players;
    this.players = new Map();
    for (const p of list) {
      const player = makePlayer(p, now);
      // Still away as before: keep counting from when we saw it go, not from this message.
      const old = before.get(p.id);
      if (old && !old.connected && !player.connected && (old.awaySince !== null || old.awayUntil !== null)) {
        player.awaySince = old.awaySince; player.awayUntil = old.awayUntil;
      }
      this.players.set(p.id, player);
    }
  }
}

function makePlayer(p, now) {
  const connected = p.connected !== false;
  return {
    id: p.id, name: String(p.name ?? '?'), sprite: p.sprite ?? 'knight', wins: p.wins ?? 0,
    left: p.left, top: p.top, x: p.left, y: p.top, direction: p.direction ?? 'DOWN', status: p.status ?? 'STAY',
    energy: p.energy ?? 0, buffer: [{ t: now, left: p.left, top: p.top }],
    attackUntil: 0, flashUntil: 0, moving: false, lastMovedAt: 0,
    connected, awaySince: null,
    // When the held seat runs out, from the server's count (full player objects of an away player carry it).
    awayUntil: !connected && typeof p.graceLeftMs === 'number' ? now + p.graceLeftMs : null,
  };
}

function setConnected(p, connected, now) {
  if (p.connected && !connected) { p.awaySince = now; p.awayUntil = null; }  // seen going: the grace starts about now
  if (connected) { p.awaySince = null; p.awayUntil = null; }
  p.connected = connected;
}
