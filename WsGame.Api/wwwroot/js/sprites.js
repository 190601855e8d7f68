// The character sprite sheets (made by tools/make_sprites.py; layout in /sprites/README.md).
// CHARACTERS is the list the join form offers before the server has said anything (the server's defaults);
// after a welcome, the page calls useCharacters() with the welcome's rules.sprites.
export const CHARACTERS = Object.freeze(['knight', 'ninja', 'mage', 'archer']);
export const FRAME = 96;
const ROWS = { DOWN: 0, LEFT: 1, RIGHT: 2, UP: 3 };
const IDLE = 0, WALK = 1, WALK_FRAMES = 4, ATTACK = 5, ATTACK_FRAMES = 2;

const sheets = new Map();
let known = CHARACTERS;

/** The characters the server allows (rules.sprites): their sheets are the ones worth loading. */
export function useCharacters(names) {
  if (Array.isArray(names) && names.length) known = Object.freeze([...names]);
}

export function sheet(name) {
  const file = known.includes(name) ? name : known[0];
  if (!sheets.has(file)) {
    const image = new Image();
    image.src = `sprites/${encodeURIComponent(file)}.png`;
    sheets.set(file, image);
  }
  return sheets.get(file);
}

/** The source rectangle (column, row) of a frame: pose is 'idle', 'walk' or 'attack'; t in ms. */
export function frameOf(direction, pose, t, attackProgress = 0) {
  const row = ROWS[direction] ?? 0;
  let column = IDLE;
  if (pose === 'walk') column = WALK + Math.floor(t / 130) % WALK_FRAMES;
  else if (pose === 'attack') column = ATTACK + Math.min(ATTACK_FRAMES - 1, Math.floor(attackProgress * ATTACK_FRAMES));
  return { sx: column * FRAME, sy: row * FRAME };
}
