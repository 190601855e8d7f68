// The character sprite sheets (made by tools/make_sprites.py; layout in /sprites/README.md).
export const CHARACTERS = ['knight', 'ninja', 'mage', 'archer'];
export const FRAME = 96;
const ROWS = { DOWN: 0, LEFT: 1, RIGHT: 2, UP: 3 };
const IDLE = 0, WALK = 1, WALK_FRAMES = 4, ATTACK = 5, ATTACK_FRAMES = 2;

const sheets = new Map();

export function sheet(name) {
  if (!sheets.has(name)) {
    const image = new Image();
    image.src = `sprites/${CHARACTERS.includes(name) ? name : 'knight'}.png`;
    sheets.set(name, image);
  }
  return sheets.get(name);
}

/** The source rectangle (column, row) of a frame: pose is 'idle', 'walk' or 'attack'; t in ms. */
export function frameOf(direction, pose, t, attackProgress = 0) {
  const row = ROWS[direction] ?? 0;
  let column = IDLE;
  if (pose === 'walk') column = WALK + Math.floor(t / 130) % WALK_FRAMES;
  else if (pose === 'attack') column = ATTACK + Math.min(ATTACK_FRAMES - 1, Math.floor(attackProgress * ATTACK_FRAMES));
  return { sx: column * FRAME, sy: row * FRAME };
}
