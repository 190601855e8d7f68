#!/usr/bin/python3
"""Benchmark peer for WsGame: the Python `websockets` library (asyncio API of version 10.4).

    /usr/bin/python3 server.py PORT

Listens on 127.0.0.1:PORT only and prints "listening on 127.0.0.1:PORT" once ready.
  /ws/echo  every message back with its type (text or binary)
  /ws/chat  the seed chat room: join / chat in; status, chat and error out; broadcast to all
No compression; messages up to 1 MiB inclusive (larger ones close the connection with 1009).
Any other path is refused with 404 before the handshake. SIGTERM or SIGINT closes every
connection with 1001 and exits.
"""
import asyncio
import http
import json
import signal
import sys

import websockets.exceptions
# The asyncio API this peer was written for. From version 14 on, websockets.serve is a new API with
# other callbacks (process_request(connection, request), ws.request.path); the old one stays under
# websockets.legacy, which every version from 10 on has, so the peer asks for it by name.
from websockets.legacy.protocol import broadcast as send_to_all
from websockets.legacy.server import serve

MAX_MESSAGE_BYTES = 1024 * 1024
INVALID_JSON = '{"type":"error","message":"Invalid JSON format."}'
INVALID_FORMAT = '{"type":"error","message":"Invalid message format or not joined."}'

# Every connection on /ws/chat, joined or not: the seed broadcasts to all of them.
chat_clients = set()


def path_of(request_path):
    return request_path.split("?", 1)[0]


async def refuse_unknown_paths(path, request_headers):
    if path_of(path) not in ROUTES:
        return http.HTTPStatus.NOT_FOUND, [], b""
    return None  # go on with the handshake


async def echo(ws):
    async for message in ws:  # str for text frames, bytes for binary: sent back as the same type
        await ws.send(message)


def reject_constant(constant):
    raise ValueError(f"{constant} is not JSON")  # json.loads would accept NaN and Infinity


def broadcast(message):
    """Serializes once; send_to_all encodes once and writes the frame to every open
    connection without waiting, so a slow client only grows its own write buffer."""
    text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    try:
        send_to_all(chat_clients, text)
    except UnicodeEncodeError:
        # A lone surrogate from a "\\ud800" escape cannot be UTF-8: send it escaped instead.
        send_to_all(chat_clients, json.dumps(message, separators=(",", ":")))


async def chat(ws):
    chat_clients.add(ws)
    name = None  # set by join
    try:
        async for raw in ws:
            try:
                # Binary frames are read as JSON too (as the seed's json.loads does), but only as UTF-8.
                text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                request = json.loads(text, parse_constant=reject_constant)
            except ValueError:  # JSONDecodeError, UnicodeDecodeError, NaN/Infinity
                await ws.send(INVALID_JSON)
                continue
            kind = request.get("type") if isinstance(request, dict) else None
            if kind == "join":
                # A missing, null or non-string name is "Anonymous"; joining again renames.
                given = request.get("name")
                name = given if isinstance(given, str) else "Anonymous"
                broadcast({"type": "status", "message": f"{name} joined the chat."})
            elif kind == "chat" and name is not None:
                broadcast({"type": "chat", "sender": name, "message": request.get("message", "")})
            else:
                await ws.send(INVALID_FORMAT)
    finally:
        chat_clients.discard(ws)
        if name is not None:
            broadcast({"type": "status", "message": f"{name} left the chat."})


ROUTES = {"/ws/echo": echo, "/ws/chat": chat}


async def handler(ws):
    try:
        await ROUTES[path_of(ws.path)](ws)
    except websockets.exceptions.ConnectionClosed:
        pass  # the client went away without a close handshake


async def main(port):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: stop.done() or stop.set_result(None))
    async with serve(
        handler,
        "127.0.0.1",
        port,
        compression=None,
        max_size=MAX_MESSAGE_BYTES,
        process_request=refuse_unknown_paths,
        close_timeout=2,
    ):
        print(f"listening on 127.0.0.1:{port}", flush=True)
        await stop
    # Leaving the block closed every connection (1001) and waited for the handlers.


if __name__ == "__main__":
    try:
        port = int(sys.argv[1])
        if not 0 < port < 65536:
            raise ValueError(port)
    except (IndexError, ValueError):
        print("usage: /usr/bin/python3 server.py PORT", file=sys.stderr)
        sys.exit(2)
    asyncio.run(main(port))
