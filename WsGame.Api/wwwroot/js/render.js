// Draws the arena: tiled floor, players (sprite, name, energy bar, own marker, hit flash; faded while away).
import { sheet, frameOf, FRAME } from './sprites.js';

const TILE = 32;
let floor = null;

function makeFloor(width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  const g = canvas.getContext('2d');
  for (let y = 0; y < height; y += TILE) {
    for (let x = 0; x < width; x += TILE) {
      const odd = ((x / TILE) + (y / TILE)) % 2 === 1;
      g.fillStyle = odd ? '#5b5f73' : '#63687e';
      g.fillRect(x, y, TILE, TILE);
      g.fillStyle = '#4a4d5e';                      // mortar lines
      g.fillRect(x, y, TILE, 1); g.fillRect(x, y, 1, TILE);
      g.fillStyle = odd ? '#676b80' : '#70758c';    // a few pebbles, the same every time
      const seed = (x * 7 + y * 13) % 23;
      g.fillRect(x + 4 + seed % 20, y + 6 + (seed * 3) % 18, 2, 2);
      g.fillRect(x + 8 + (seed * 5) % 16, y + 4 + (seed * 7) % 22, 1, 1);
    }
  }
  g.strokeStyle = '#33364a'; g.lineWidth = 4; g.strokeRect(0, 0, width, height);
  return canvas;
}

export function render(ctx, view, now) {
  const { width, height } = ctx.canvas;
  ctx.imageSmoothingEnabled = false;
  if (!floor || floor.width !== width || floor.height !== height) floor = makeFloor(width, height);
  ctx.drawImage(floor, 0, 0);

  const players = [...view.players].sort((a, b) => a.y - b.y);
  for (const p of players) {
    const image = sheet(p.sprite);
    const attacking = p.attackUntil > now;
    const pose = p.knockedOut ? 'idle' : attacking ? 'attack' : p.moving ? 'walk' : 'idle';
    const progress = attacking ? 1 - (p.attackUntil - now) / 250 : 0;
    const { sx, sy } = frameOf(p.direction, pose, now, progress);
    const x = Math.round(p.x), y = Math.round(p.y);
    ctx.save();
    if (p.knockedOut) ctx.globalAlpha = 0.45;
    else if (p.away) ctx.globalAlpha = 0.6;   // its seat is held, its connection is lost
    if (p.flashUntil > now && Math.floor(now / 60) % 2 === 0) ctx.filter = 'brightness(3) saturate(0)';
    if (image.complete && image.naturalWidth) ctx.drawImage(image, sx, sy, FRAME, FRAME, x, y, FRAME, FRAME);
    ctx.restore();

    // Energy bar and name above the sprite (canvas text: never parsed as markup).
    const barWidth = 56, barX = x + (FRAME - barWidth) / 2, barY = y + 2;
    const share = Math.max(0, Math.min(1, p.energy / Math.max(1, view.maxEnergy)));
    ctx.fillStyle = '#14151e'; ctx.fillRect(barX - 1, barY - 1, barWidth + 2, 7);
    ctx.fillStyle = share > 0.5 ? '#4cd964' : share > 0.25 ? '#f2d14b' : '#ff4d4d';
    ctx.fillRect(barX, barY, Math.round(barWidth * share), 5);
    ctx.font = 'bold 12px system-ui, sans-serif';
    ctx.textAlign = 'center'; ctx.textBaseline = 'bottom';
    ctx.lineWidth = 3; ctx.strokeStyle = '#14151e';
    const label = p.me ? `▼ ${p.name}` : p.away ? `${p.name} (away)` : p.name;
    const half = ctx.measureText(label).width / 2 + 2;
    const labelX = Math.max(half, Math.min(width - half, x + FRAME / 2));
    const labelY = Math.max(14, barY - 2);
    ctx.strokeText(label, labelX, labelY);
    ctx.fillStyle = p.me ? '#f2d14b' : '#ffffff';
    ctx.fillText(label, labelX, labelY);
    if (p.me) {
      ctx.strokeStyle = 'rgba(242, 209, 75, .8)'; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.ellipse(x + FRAME / 2, y + FRAME - 4, 26, 7, 0, 0, Math.PI * 2); ctx.stroke();
    }
  }
}
