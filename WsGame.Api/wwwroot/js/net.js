// The page's one WebSocket to /ws (docs/protocol.md): opening it, the resume token and the last seq seen,
// reconnecting with backoff after an unexpected close, and the close codes after which it must not come back.
// It knows nothing of the game: what to say first on a fresh connection is the caller's `hello`.

const STORE_KEY = 'wsgame.seat';
const FIRST_DELAY = 250;           // ms: the ceiling of the first retry; doubles up to MAX_DELAY
const MAX_DELAY = 4000;
const LEAVE_GRACE = 200;           // ms between the leave message and the close frame after it

// 4001: another tab resumed this seat (it now plays it); 4002: an operator removed the player. Coming back
// after either would fight the other tab or the operator, so these end the session. Decided by code only:
// the reason text is for people and may change.
export const SEAT_TAKEN_OVER = 4001;
export const REMOVED_BY_OPERATOR = 4002;
const FINAL_CODES = new Set([SEAT_TAKEN_OVER, REMOVED_BY_OPERATOR]);

/** The delay before retry number `attempt` (0-based): FIRST_DELAY doubling to MAX_DELAY, half of it random. */
export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** Math.min(attempt, 16));
  // "Equal jitter": never sooner than half the ceiling, so a busy server is not hammered, and pages that lost
  // their connections at the same moment (a server restart) do not all come back in the same millisecond.
  return ceiling / 2 + random() * ceiling / 2;
}

/** The seat kept across a reload of this tab, if any: {token, seq}. sessionStorage is per tab, as a seat is. */
export function savedSeat() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null');
    return saved && typeof saved.token === 'string' ? { token: saved.token, seq: Number(saved.seq) || 0 } : null;
  } catch {
    return null;
  }
}

export class GameSocket {
  /**
   * @param {string} url the /ws address
   * @param {{message(m: object): void, state(kind: 'connecting'|'online'|'offline'): void,
   *          closed(info: {code: number, reason: string, final: boolean, hadWelcome: boolean}): void,
   *          refused(m: object): void}} on
   *   `refused`: the server would not resume the seat (the error it sent); the socket has already forgotten
   *   the token and sent hello() on the same connection.
   */
  constructor(url, on) {
    this.url = url;
    this.on = on;
    this.ws = null;
    this.active = false;      // the page wants a connection (has a seat, is watching or is joining)
    this.hello = null;        // () => the first message on a fresh connection when there is no seat to resume
    this.token = null;        // the last resume token received (single use: each welcome brings the next)
    this.seq = 0;             // the last seq applied
    this.pending = null;      // 'resume' or 'hello' while their answer is awaited, so an error can be told apart
    this.welcomed = false;    // the current connection has had its welcome
    this.attempt = 0;
    this.timer = 0;
    // What happened so far, for the test hook and for anyone reading a bug report.
    this.stats = { opened: 0, reconnects: 0, resumes: 0, refused: 0, duplicates: 0, gaps: [] };
    const saved = savedSeat();
    if (saved) { this.token = saved.token; this.seq = saved.seq; }
  }

  get open() { return this.ws?.readyState === WebSocket.OPEN; }
  get retrying() { return this.timer !== 0; }
  get hasSeat() { return this.token !== null; }

  /** Connects (if not already) and keeps connecting until stop(): resumes the seat if one is held, else sends hello(). */
  start(hello) {
    this.hello = hello;
    this.active = true;
    if (this.ws) {
      if (this.open && !this.pending && !this.welcomed) this.greet();
      return;
    }
    this.connect();
  }

  /** Ends the session on purpose: no retry, and the seat is forgotten (the server frees it on 1000). */
  stop() {
    this.active = false;
    this.forget();
    clearTimeout(this.timer); this.timer = 0;
    const ws = this.ws;
    this.ws = null;
    this.pending = null; this.welcomed = false;
    if (ws && ws.readyState <= WebSocket.OPEN) ws.close(1000, 'leaving');
    this.on.state('offline');
  }

  /** Leaves like the Exit button: tells the room first, then closes with 1000 (the seat is given up). */
  leave() {
    this.send({ type: 'leave' });
    const ws = this.ws;
    this.ws = null;
    this.stop();
    // The leave is written before the close frame; the close waits a moment so the server reads the leave
    // (and answers it) rather than seeing only a bare 1000.
    if (ws) setTimeout(() => ws.close(1000, 'exit'), LEAVE_GRACE);
  }

  /** Drops the resume token, here and in sessionStorage (refused, left, or removed). */
  forget() {
    this.token = null; this.seq = 0;
    try { sessionStorage.removeItem(STORE_KEY); } catch { /* storage disabled: nothing was kept */ }
  }

  /** Tries at once instead of waiting out the backoff (the browser says the network is back). */
  retryNow() {
    if (this.active && this.retrying) this.connect();
  }

  send(message) {
    if (!this.open) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  connect() {
    clearTimeout(this.timer); this.timer = 0;
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.pending = null; this.welcomed = false;
    this.stats.opened++;
    this.on.state('connecting');
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.on.state('online');
      this.greet();
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      let m;
      try { m = JSON.parse(event.data); } catch { return; }
      if (this.accept(m)) this.on.message(m);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      const hadWelcome = this.welcomed;
      this.pending = null; this.welcomed = false;
      const final = FINAL_CODES.has(event.code) || !this.active;
      if (FINAL_CODES.has(event.code)) { this.active = false; this.forget(); }
      this.on.state('offline');
      if (!final) this.retry();
      this.on.closed({ code: event.code, reason: event.reason, final, hadWelcome });
    };
  }

  greet() {
    if (this.token !== null) {
      this.pending = 'resume';
      this.send({ type: 'resume', token: this.token, seq: this.seq });
      return;
    }
    const first = this.hello?.();
    if (first) { this.pending = 'hello'; this.send(first); }
  }

  retry() {
    const delay = backoffDelay(this.attempt++);
    this.timer = setTimeout(() => {
      this.timer = 0;
      if (!this.active) return;
      this.stats.reconnects++;
      this.connect();
    }, delay);
  }

  /** Keeps the token and the numbering current; false for a message handled here or already applied. */
  accept(m) {
    if (m.type === 'welcome') {
      // A fresh join or spectate starts a new stream; a resumed one goes on after the seq we sent.
      if (m.resumed) this.stats.resumes++; else this.seq = 0;
      this.token = typeof m.resume === 'string' ? m.resume : null;
      this.pending = null; this.welcomed = true;
      this.attempt = 0;
      this.save();
      return true;
    }
    if (typeof m.seq !== 'number') {
      // Outside the stream: before a welcome, an error answers what greet() sent.
      if (m.type === 'error' && (this.pending === 'resume' || m.field === 'token')) {
        // The seat is gone (its grace ran out, the server restarted...): forget it and start over on this
        // same connection, which the server keeps open for exactly that.
        this.stats.refused++;
        this.forget();
        this.pending = null;
        this.on.refused?.(m);
        if (this.active) this.greet();
        return false;
      }
      if (m.type === 'error') this.pending = null;
      return true;
    }
    if (m.seq <= this.seq) {
      // A message already applied (a replay that overlaps what arrived before the drop): applying it twice
      // would show a chat line twice or step a player back.
      this.stats.duplicates++;
      return false;
    }
    if (m.seq !== this.seq + 1) {
      // Allowed only for a snapshot after a resume (it replaces the numbers in between); anything else is a
      // server bug worth seeing in the hook.
      this.stats.gaps.push({ after: this.seq, got: m.seq, type: m.type });
    }
    this.seq = m.seq;
    this.save();
    return true;
  }

  save() {
    try {
      if (this.token !== null) sessionStorage.setItem(STORE_KEY, JSON.stringify({ token: this.token, seq: this.seq }));
      else sessionStorage.removeItem(STORE_KEY);
    } catch { /* storage disabled: a reload then starts over, nothing else changes */ }
  }
}
