"""A chat client written for the seed's chat room (join / chat, reading status, chat and error).

It knows nothing of WsGame: it speaks the seed protocol only, and must work against /ws unchanged.
Usage: /usr/bin/python3 seed_chat_client.py ws://host:port/ws NAME MESSAGE
Exits 0 when every seed behaviour held, 1 with a message otherwise. Never hangs (30 s limit).
"""
import asyncio
import json
import sys

import websockets


async def next_of(ws, wanted):
    """The next message whose type is in `wanted`; a seed client ignores what it does not know."""
    while True:
        message = json.loads(await ws.recv())
        print("received", message)
        if message.get("type") in wanted:
            return message


async def main(url, name, text):
    async with websockets.connect(url) as ws:
        # The seed room answers a chat before join with this error.
        await ws.send(json.dumps({"type": "chat", "message": "too early"}))
        error = await next_of(ws, {"error"})
        assert error["message"] == "Invalid message format or not joined.", error

        await ws.send(json.dumps({"type": "join", "name": name}))
        status = await next_of(ws, {"status"})
        assert status["message"] == f"{name} joined the chat.", status

        await ws.send(json.dumps({"type": "chat", "message": text}))
        chat = await next_of(ws, {"chat"})
        assert chat["sender"] == name and chat["message"] == text, chat

        await ws.send("this is not json")
        error = await next_of(ws, {"error"})
        assert error["message"] == "Invalid JSON format.", error
    print("PASS: the seed chat client works unchanged")


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(*sys.argv[1:4]), timeout=30))
    except Exception as exception:  # report any failure as a non-zero exit with its reason
        print(f"FAIL: {type(exception).__name__}: {exception}")
        sys.exit(1)
