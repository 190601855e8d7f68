// The rule values the page predicts and draws with. The server sends them in every welcome (docs/protocol.md,
// `rules`) so that nothing here is copied by hand: these defaults are only the server's own defaults, standing
// in until the first welcome (the join form uses nothing but the name length and the characters).
import { CHARACTERS } from './sprites.js';

export const DEFAULT_RULES = Object.freeze({
  speed: 200,
  moveToleranceMs: 250,
  body: Object.freeze({ width: 48, height: 64, offsetLeft: 24, offsetTop: 32 }),
  attack: Object.freeze({ cooldownMs: 400, range: 40, width: 48, damage: 1 }),
  energy: 30,
  tickRate: 20,
  reconnectGraceMs: 30000,
  maxChatLength: 500,
  maxNameLength: 16,
  sprites: Object.freeze([...CHARACTERS]),
});

/**
 * The rules of a welcome laid over the ones known so far: a field a server leaves out keeps its last value,
 * so an older server (or a newer one with other fields) still gives a page that works.
 */
export function rulesFrom(welcome, known = DEFAULT_RULES) {
  const sent = welcome?.rules ?? {};
  const sprites = Array.isArray(sent.sprites) && sent.sprites.length ? sent.sprites.map(String) : known.sprites;
  return Object.freeze({
    ...known,
    ...sent,
    tickRate: sent.tickRate ?? welcome?.tickRate ?? known.tickRate,
    body: Object.freeze({ ...known.body, ...sent.body }),
    attack: Object.freeze({ ...known.attack, ...sent.attack }),
    sprites: Object.freeze(sprites),
  });
}

/** The box that collides and can be hit, for a sprite box whose top-left corner is (x, y). */
export function bodyAt(rules, x, y) {
  const { width, height, offsetLeft, offsetTop } = rules.body;
  return { x: x + offsetLeft, y: y + offsetTop, w: width, h: height };
}
