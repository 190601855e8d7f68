#!/usr/bin/python3
"""Quick, bounded check of one peer server on loopback.

Usage: /usr/bin/python3 smoke_check.py PORT [--echo-only] -- COMMAND...

Starts COMMAND (which must listen on 127.0.0.1:PORT and print "listening on 127.0.0.1:PORT"),
checks /ws/echo (text, binary of 70000 bytes and exactly 1 MiB, an empty message, a message over
1 MiB closed with 1009, the close handshake) and, unless --echo-only, the seed chat protocol on
/ws/chat with three clients. Then sends SIGTERM and expects the server to exit within 10 s.
Prints one line per check; exits 0 when all passed. Light on purpose: a few dozen messages.
Written for Debian's python3-websockets 10.4 (asyncio API).
"""
import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time

import websockets

MIB = 1024 * 1024
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def connect(url):
    return websockets.connect(url, compression=None, max_size=4 * MIB, open_timeout=5, close_timeout=5)


async def check_echo(base):
    async with connect(base + "/ws/echo") as ws:
        text = "héllo, wörld ✓ " * 3
        await ws.send(text)
        check(await ws.recv() == text, "echo: UTF-8 text comes back as the same text")
        binary = os.urandom(70000)
        await ws.send(binary)
        check(await ws.recv() == binary, "echo: 70000-byte binary comes back as binary")
        await ws.send(b"")
        check(await ws.recv() == b"", "echo: empty binary message")
        big = os.urandom(MIB)
        await ws.send(big)
        check(await ws.recv() == big, "echo: exactly 1 MiB binary")
        big_text = "x" * MIB
        await ws.send(big_text)
        check(await ws.recv() == big_text, "echo: exactly 1 MiB text")
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 5)
        check(True, "echo: ping answered with a pong")
        await ws.close(code=1000, reason="done")
        check(ws.close_code == 1000, f"echo: close handshake answered (code {ws.close_code})")
    async with connect(base + "/ws/echo") as ws:
        await ws.send(b"\0" * (MIB + 1))
        try:
            await ws.recv()
            check(False, "echo: message over 1 MiB is refused")
        except websockets.exceptions.ConnectionClosed:
            check(ws.close_code == 1009, f"echo: message over 1 MiB closes with 1009 (got {ws.close_code})")


async def next_json(ws):
    return json.loads(await asyncio.wait_for(ws.recv(), 5))


async def check_chat(base):
    url = base + "/ws/chat"
    async with connect(url) as alice, connect(url) as bob:
        await alice.send(json.dumps({"type": "chat", "message": "too early"}))
        check(await next_json(alice) == {"type": "error", "message": "Invalid message format or not joined."},
              "chat: chat before join is an error to the sender")
        await alice.send(json.dumps({"type": "join", "name": "Alice"}))
        joined = {"type": "status", "message": "Alice joined the chat."}
        check(await next_json(alice) == joined, "chat: join is broadcast to the joiner")
        check(await next_json(bob) == joined, "chat: join is broadcast to the other client (not joined yet)")
        await bob.send(json.dumps({"type": "join", "name": "Bob"}))
        joined = {"type": "status", "message": "Bob joined the chat."}
        check(await next_json(alice) == joined and await next_json(bob) == joined, "chat: second join reaches both")
        await bob.send(json.dumps({"type": "chat", "message": "hi ✓"}))
        line = '{"type":"chat","sender":"Bob","message":"hi ✓"}'  # every peer writes the same compact bytes
        got_alice, got_bob = await asyncio.wait_for(alice.recv(), 5), await asyncio.wait_for(bob.recv(), 5)
        check(got_alice == line and got_bob == line, f"chat: a line reaches everyone, sender included: {got_bob}")
        await alice.send("this is not json")
        check(await next_json(alice) == {"type": "error", "message": "Invalid JSON format."}, "chat: invalid JSON")
        await alice.send("[1, 2]")
        check(await next_json(alice) == {"type": "error", "message": "Invalid message format or not joined."},
              "chat: JSON that is not a join/chat object")
        await alice.send(json.dumps({"type": "chat"}))
        line = {"type": "chat", "sender": "Alice", "message": ""}
        got_alice, got_bob = await next_json(alice), await next_json(bob)
        check(got_alice == line and got_bob == line, "chat: errors went to the sender only; a missing message is \"\"")
        async with connect(url) as carol:
            await carol.send(json.dumps({"type": "join"}))
            joined = {"type": "status", "message": "Anonymous joined the chat."}
            got = [await next_json(ws) for ws in (alice, bob, carol)]
            check(got == [joined] * 3, "chat: join without a name is Anonymous, broadcast to all three")
        left = {"type": "status", "message": "Anonymous left the chat."}
        check(await next_json(alice) == left and await next_json(bob) == left, "chat: a leaving joined client is announced")
        await bob.close()
        check(await next_json(alice) == {"type": "status", "message": "Bob left the chat."}, "chat: Bob's leave")


def ready_line(server, timeout):
    """The server's first line (its readiness line), or "" when it prints none within timeout seconds."""
    lines = []
    reader = threading.Thread(target=lambda: lines.append(server.stdout.readline().strip()), daemon=True)
    reader.start()
    reader.join(timeout)
    return lines[0] if lines else ""


async def checks(port, echo_only):
    base = f"ws://127.0.0.1:{port}"
    await check_echo(base)
    if not echo_only:
        await check_chat(base)


def main():
    if "--" not in sys.argv or len(sys.argv) < 4:
        print(__doc__)
        return 2
    split = sys.argv.index("--")
    port = int(sys.argv[1])
    echo_only = "--echo-only" in sys.argv[2:split]
    command = sys.argv[split + 1:]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        first_line = ready_line(server, 30)
        check(first_line == f"listening on 127.0.0.1:{port}",
              f"ready line {first_line!r} after {time.monotonic() - started:.1f} s")
        if first_line:
            try:
                asyncio.run(asyncio.wait_for(checks(port, echo_only), 20))
            except Exception as exception:  # any failure becomes a FAIL line, never a hang
                check(False, f"{type(exception).__name__}: {exception}")
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(10)
            check(code in (0, -signal.SIGTERM), f"exits on SIGTERM (exit code {code})")
        except subprocess.TimeoutExpired:
            check(False, "exits on SIGTERM within 10 s")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    print(f"{'PASS' if not failures else 'FAIL'}: {len(failures)} failed", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
