#!/usr/bin/env python3
"""Generates the character sprite sheets of WsGame (standard library only).

    python3 tools/make_sprites.py            # writes WsGame.Api/wwwroot/sprites/<name>.png

Each character is drawn as 24 x 24 pixel art and scaled 4x to 96 x 96 frames. Sheet layout
(see WsGame.Api/wwwroot/sprites/README.md): 4 rows (DOWN, LEFT, RIGHT, UP) x 7 columns
(idle, walk 1-4, attack 1-2), 672 x 384 pixels, RGBA PNG.
"""
import os
import struct
import zlib

SIZE = 24
SCALE = 4
DIRECTIONS = ["DOWN", "LEFT", "RIGHT", "UP"]
# (kind, step): idle, walk 0..3, attack 0..1
FRAMES = [("idle", 0), ("walk", 0), ("walk", 1), ("walk", 2), ("walk", 3), ("attack", 0), ("attack", 1)]


def hexc(value):
    value = value.lstrip("#")
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255)


SKIN = hexc("#f2c29b")
OUTLINE = hexc("#1b1b24")
EYE = hexc("#1b1b24")

CHARACTERS = {
    "knight": dict(body="#a9b4c6", trim="#4a6fd1", legs="#5b6476", head="helmet", hat="#c9d2e0", plume="#d13b3b",
                   weapon="sword", metal="#e8eef7", handle="#7a5230"),
    "ninja": dict(body="#2c2c3a", trim="#c8283a", legs="#1c1c26", head="mask", hat="#2c2c3a", plume="#c8283a",
                  weapon="dagger", metal="#d8dde6", handle="#3a3a4a"),
    "mage": dict(body="#6a3fb5", trim="#f2d14b", legs="#4b2a86", head="wizard", hat="#5a2fa5", plume="#f2d14b",
                 weapon="staff", metal="#52e0f0", handle="#8a5a2b"),
    "archer": dict(body="#3f8f3a", trim="#9b6a35", legs="#5a4026", head="hood", hat="#2f6f2c", plume="#e0c060",
                   weapon="bow", metal="#d9c7a0", handle="#8a5a2b"),
}


class Canvas:
    def __init__(self, width, height):
        self.width, self.height = width, height
        self.pixels = [[(0, 0, 0, 0)] * width for _ in range(height)]

    def put(self, x, y, colour):
        if 0 <= x < self.width and 0 <= y < self.height:
            self.pixels[y][x] = colour

    def rect(self, x, y, w, h, colour):
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                self.put(xx, yy, colour)

    def get(self, x, y):
        return self.pixels[y][x]


def outline(canvas):
    """A dark 1-pixel outline around every opaque shape, for a readable silhouette."""
    solid = [[canvas.get(x, y)[3] > 0 for x in range(SIZE)] for y in range(SIZE)]
    for y in range(SIZE):
        for x in range(SIZE):
            if solid[y][x]:
                continue
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                nx, ny = x + dx, y + dy
                if 0 <= nx < SIZE and 0 <= ny < SIZE and solid[ny][nx]:
                    canvas.put(x, y, OUTLINE)
                    break


def draw_weapon(c, p, direction, kind, step):
    metal, handle = hexc(p["metal"]), hexc(p["handle"])
    weapon = p["weapon"]
    attacking = kind == "attack"
    reach = (6 if step == 1 else 4) if attacking else 0
    if direction == "UP" and not attacking:
        return  # carried in front, hidden by the body
    if direction in ("DOWN", "UP"):
        x = 17
        if weapon == "staff":
            top = 5 if direction == "DOWN" else 5 - reach
            c.rect(x, top + (reach if direction == "DOWN" else 0), 1, 15, handle)
            c.rect(x - 1, top + (reach if direction == "DOWN" else 0) - 1, 3, 2, metal)
            return
        if weapon == "bow":
            y0 = 11 if direction == "DOWN" else 9
            y0 += reach // 2 if direction == "DOWN" else -reach // 2
            c.rect(x, y0, 1, 8, handle)
            c.rect(x + 1, y0 - 1, 1, 1, handle)
            c.rect(x + 1, y0 + 8, 1, 1, handle)
            c.rect(x + 2, y0, 1, 8, metal)
            if attacking:
                ay = y0 + 8 if direction == "DOWN" else y0 - 4
                c.rect(x + 1, ay, 1, 4 + step * 2, metal)
            return
        length = 7 if weapon == "sword" else 4
        if direction == "DOWN":
            y = 14 + reach
            c.rect(x, y - 2, 1, 2, handle)
            c.rect(x - 1, y, 3, 1, handle)
            c.rect(x, y + 1, 1, length, metal)
        else:
            y = 12 - reach
            c.rect(x, y, 1, 2, handle)
            c.rect(x - 1, y - 1, 3, 1, handle)
            c.rect(x, y - 1 - length, 1, length, metal)
        return
    # LEFT / RIGHT are drawn facing RIGHT and mirrored for LEFT by the caller.
    y = 15
    if weapon == "staff":
        x = 14 + reach
        c.rect(x, 4, 1, 16, handle)
        c.rect(x - 1, 2, 3, 3, metal)
        if attacking:
            c.rect(x + 2, 3, 2 + step * 2, 1, metal)
        return
    if weapon == "bow":
        x = 15 + reach // 2
        c.rect(x + 1, 10, 1, 10, handle)
        c.rect(x, 9, 1, 1, handle)
        c.rect(x, 20, 1, 1, handle)
        c.rect(x, 10, 1, 10, metal)
        if attacking:
            c.rect(x + 2, 15, 3 + step * 3, 1, metal)
        return
    length = 6 if weapon == "sword" else 4
    x = 14 + min(reach, 3)
    c.rect(x, y - 1, 1, 3, handle)
    c.rect(x + 1, y, length, 1, metal)
    if weapon == "sword":
        c.rect(x + 1, y - 1, length - 1, 1, metal)


def draw_frame(name, direction, kind, step):
    p = CHARACTERS[name]
    body, trim, legs, hat, plume = (hexc(p[k]) for k in ("body", "trim", "legs", "hat", "plume"))
    c = Canvas(SIZE, SIZE)
    side = direction in ("LEFT", "RIGHT")
    draw_dir = "RIGHT" if side else direction
    bob = 1 if kind == "walk" and step in (1, 3) else 0
    lunge = 1 if kind == "attack" else 0

    # legs
    if kind == "walk":
        offsets = [(0, 0), (-1, 1), (0, 0), (1, -1)][step]
    else:
        offsets = (0, 0)
    if side:
        c.rect(9 + offsets[0] + lunge, 19, 2, 4, legs)
        c.rect(12 + offsets[1] + lunge, 19, 2, 4, legs)
        c.rect(9 + offsets[0] + lunge, 22, 3, 1, OUTLINE)
        c.rect(12 + offsets[1] + lunge, 22, 3, 1, OUTLINE)
    else:
        l_up = 1 if kind == "walk" and step == 1 else 0
        r_up = 1 if kind == "walk" and step == 3 else 0
        c.rect(9, 19, 2, 4 - l_up, legs)
        c.rect(13, 19, 2, 4 - r_up, legs)

    oy = bob
    ox = lunge if side else 0
    # body (robe for the mage)
    if p["head"] == "wizard":
        c.rect(7 + ox, 11 + oy, 10, 9 - oy, body)
        c.rect(6 + ox, 18, 12, 2, body)
    else:
        c.rect(7 + ox, 11 + oy, 10, 8, body)
    c.rect(7 + ox, 16 + oy, 10, 1, trim)  # belt
    if not side and direction == "DOWN":
        c.rect(11, 11 + oy, 2, 5, trim)  # chest stripe / tabard
    # arms
    if side:
        c.rect(11 + ox, 12 + oy, 3, 5, body)
        c.rect(13 + ox + (2 if kind == "attack" else 0), 15 + oy, 2, 2, SKIN)
    else:
        c.rect(5, 12 + oy, 2, 5, body)
        c.rect(17, 12 + oy, 2, 5 - (2 if kind == "attack" else 0), body)
        c.rect(5, 17 + oy, 2, 1, SKIN)

    # head
    hx, hy = 8 + ox, 3 + oy
    c.rect(hx, hy, 8, 8, SKIN)
    kind_head = p["head"]
    if kind_head == "helmet":
        c.rect(hx - 1, hy - 1, 10, 4, hat)
        if direction == "UP":
            c.rect(hx, hy, 8, 8, hat)
        elif side:
            c.rect(hx - 1, hy, 4, 8, hat)
            c.rect(hx + 3, hy + 3, 5, 1, hat)  # visor
        else:
            c.rect(hx - 1, hy, 1, 8, hat)
            c.rect(hx + 8, hy, 1, 8, hat)
            c.rect(hx, hy + 3, 8, 1, hat)
        c.rect(hx + 3, hy - 3, 2, 2, plume)
        c.rect(hx + (1 if side else 3), hy - 4, 3 if side else 2, 1, plume)
    elif kind_head == "mask":
        c.rect(hx, hy, 8, 8, hat)
        if direction != "UP":
            c.rect(hx + (3 if side else 1), hy + 3, 5 if side else 6, 2, SKIN)  # eye slit
        c.rect(hx, hy + 1, 8, 1, plume)  # headband
        if direction == "UP" or side:
            c.rect(hx - 2 if side else hx + 3, hy + 1, 2, 1, plume)
            c.rect(hx - 3 if side else hx + 3, hy + 2, 2, 2 if not side else 1, plume)
    elif kind_head == "wizard":
        c.rect(hx - 2, hy, 12, 2, hat)  # brim
        c.rect(hx, hy - 2, 8, 2, hat)
        c.rect(hx + 1, hy - 4, 6, 2, hat)
        c.rect(hx + 2, hy - 6, 4, 2, hat)
        c.rect(hx + (4 if side else 3), hy - 8, 2, 2, hat)
        c.rect(hx + 3, hy - 3, 1, 1, plume)  # star
        c.rect(hx + 5, hy - 1, 1, 1, plume)
        if direction == "UP":
            c.rect(hx, hy + 2, 8, 6, hexc("#d8d8e0"))  # long white hair / beard from behind
        else:
            c.rect(hx + (3 if side else 1), hy + 6, 5 if side else 6, 3, hexc("#e8e8f0"))  # beard
    elif kind_head == "hood":
        c.rect(hx - 1, hy - 1, 10, 3, hat)
        if direction == "UP":
            c.rect(hx - 1, hy, 10, 9, hat)
        elif side:
            c.rect(hx - 1, hy, 4, 9, hat)
            c.rect(hx - 2, hy + 2, 1, 6, hat)
        else:
            c.rect(hx - 1, hy, 1, 8, hat)
            c.rect(hx + 8, hy, 1, 8, hat)
        c.rect(hx + 6 if side else hx + 7, hy - 2, 2, 1, plume)  # feather
    # eyes
    if direction == "DOWN":
        c.put(hx + 2, hy + 4, EYE)
        c.put(hx + 5, hy + 4, EYE)
    elif side:
        c.put(hx + 6, hy + 4, EYE)

    draw_weapon(c, p, draw_dir, kind, step)
    if direction == "UP" and kind != "attack":
        pass
    outline(c)
    if direction == "LEFT":
        for row in c.pixels:
            row.reverse()
    return c


def png(width, height, rows):
    def chunk(tag, data):
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(v for px in row for v in px) for row in rows)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def sheet(name):
    frame = SIZE * SCALE
    width, height = frame * len(FRAMES), frame * len(DIRECTIONS)
    rows = [[(0, 0, 0, 0)] * width for _ in range(height)]
    for r, direction in enumerate(DIRECTIONS):
        for col, (kind, step) in enumerate(FRAMES):
            c = draw_frame(name, direction, kind, step)
            for y in range(SIZE):
                for x in range(SIZE):
                    colour = c.get(x, y)
                    if colour[3] == 0:
                        continue
                    for sy in range(SCALE):
                        row = rows[r * frame + y * SCALE + sy]
                        for sx in range(SCALE):
                            row[col * frame + x * SCALE + sx] = colour
    return png(width, height, rows)


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = os.path.join(root, "WsGame.Api", "wwwroot", "sprites")
    os.makedirs(out, exist_ok=True)
    for name in CHARACTERS:
        path = os.path.join(out, name + ".png")
        with open(path, "wb") as f:
            f.write(sheet(name))
        print("wrote", os.path.relpath(path, root))


if __name__ == "__main__":
    main()
