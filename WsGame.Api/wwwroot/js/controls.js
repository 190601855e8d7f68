// The player's own hands: keys held, the predicted position (moved at rules.speed, stopped by walls and other
// bodies the way the server stops it, so a correction is rare), and the move and attack messages. A spectator
// has none of this: `enabled` stays false and no key sends anything.
import { bodyAt } from './rules.js';

const SEND_INTERVAL = 40;    // ms between move messages while moving (25 Hz: more often than the tick)
const ATTACK_SHOW = 250;     // ms an attack pose lasts

const KEYS = {
  ArrowUp: 'UP', KeyW: 'UP', ArrowDown: 'DOWN', KeyS: 'DOWN',
  ArrowLeft: 'LEFT', KeyA: 'LEFT', ArrowRight: 'RIGHT', KeyD: 'RIGHT',
};

export class Controls {
  /**
   * @param {import('./room.js').Room} room the room our player is in
   * @param {() => object} rules the rules in force (they change with each welcome)
   * @param {(m: object) => boolean} send
   */
  constructor(room, rules, send) {
    this.room = room;
    this.rules = rules;
    this.send = send;
    this.enabled = false;      // a seat in a live connection: keys move and attack
    this.held = [];            // directions held, most recent last
    this.x = 0; this.y = 0; this.direction = 'DOWN';
    this.lastSent = 0; this.sentStop = true; this.attackUntil = 0; this.lastAttack = 0;
    this.sent = { move: 0, attack: 0 };

    window.addEventListener('keydown', (event) => {
      if (typing(event) || !this.enabled) return;
      const dir = KEYS[event.code];
      if (dir) {
        event.preventDefault();
        if (!this.held.includes(dir)) this.held.push(dir);
      } else if (event.code === 'Space') {
        event.preventDefault();
        this.attack(performance.now());
      }
    });
    window.addEventListener('keyup', (event) => {
      const dir = KEYS[event.code];
      if (dir) { const i = this.held.indexOf(dir); if (i >= 0) this.held.splice(i, 1); }
    });
    // Keys released while the page had no focus never send keyup: forget them rather than walk on forever.
    window.addEventListener('blur', () => this.release());
  }

  release() { this.held.length = 0; }

  /** Starts predicting from the server's position of our player (a welcome, round, snapshot or correction). */
  resetTo(me) {
    if (!me) return;
    this.x = me.left; this.y = me.top; this.direction = me.direction ?? this.direction;
  }

  /** One animation frame: moves our player (`room.me`) and sends what changed. */
  step(dt, now) {
    const room = this.room;
    const me = room.me;
    if (!this.enabled || !me) return;
    let dx = 0, dy = 0;
    for (const d of this.held) {
      if (d === 'LEFT') dx -= 1; else if (d === 'RIGHT') dx += 1; else if (d === 'UP') dy -= 1; else if (d === 'DOWN') dy += 1;
    }
    const moving = me.energy > 0 && !room.result && (dx !== 0 || dy !== 0);
    if (this.held.length) this.direction = this.held[this.held.length - 1];
    if (moving) {
      const rules = this.rules();
      const length = Math.hypot(dx, dy);
      const distance = rules.speed * dt;
      const maxX = room.arena.width - room.arena.sprite, maxY = room.arena.height - room.arena.sprite;
      const nx = Math.max(0, Math.min(maxX, this.x + dx / length * distance));
      if (!blocked(room, rules, nx, this.y)) this.x = nx;
      const ny = Math.max(0, Math.min(maxY, this.y + dy / length * distance));
      if (!blocked(room, rules, this.x, ny)) this.y = ny;
    }
    me.x = this.x; me.y = this.y; me.direction = this.direction;
    me.moving = moving; me.attackUntil = this.attackUntil;

    const left = Math.round(this.x), top = Math.round(this.y);
    if ((moving && now - this.lastSent >= SEND_INTERVAL) || (!moving && !this.sentStop)) {
      if (this.send({ type: 'move', left, top, direction: this.direction, status: moving ? 'MOVE' : 'STAY' })) this.sent.move++;
      this.lastSent = now; this.sentStop = !moving;
      me.left = left; me.top = top;
    }
  }

  attack(now) {
    // The server ignores an attack inside the cooldown; the page does not even show one.
    if (now - this.lastAttack < this.rules().attack.cooldownMs || this.room.result) return;
    const me = this.room.me;
    if (!me || me.energy <= 0) return;
    this.lastAttack = now;
    this.attackUntil = now + ATTACK_SHOW;
    if (this.send({ type: 'attack' })) this.sent.attack++;
  }
}

function typing(event) {
  const t = event.target;
  return t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement;
}

function overlaps(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }

/** Would our body at (x, y) run into another player's? As on the server, a knocked-out body does not block (an away one does). */
function blocked(room, rules, x, y) {
  const mine = bodyAt(rules, x, y);
  for (const p of room.players.values()) {
    if (p.id === room.id || p.energy <= 0) continue;
    if (overlaps(mine, bodyAt(rules, p.left, p.top))) return true;
  }
  return false;
}
