#!/usr/bin/python3
"""Independent interop client for WsGame's /ws/echo endpoint, built on the `websockets` library.

Usage: /usr/bin/python3 echo_client.py ws://127.0.0.1:PORT/ws/echo

Sends text and binary messages at the frame-length boundaries (1, 125, 126, 65535, 65536 bytes)
and at the server's default message limit (1 MiB), checks that every echo comes back with the same
type and identical content, then closes with 1000 and checks the server answered the close.
Prints one line per check; exits 0 when all pass, 1 on the first failure, 2 on bad usage.
Written for the asyncio API of websockets 10.4 (Debian's python3-websockets).
"""

import asyncio
import random
import sys

try:
    import websockets
except ImportError:
    print(
        "FAIL: the Python 'websockets' library is not importable from "
        f"{sys.executable}; run `bash scripts/install-test-deps.sh` (Debian package python3-websockets) "
        "and use /usr/bin/python3",
        file=sys.stderr,
    )
    sys.exit(1)

SIZES = [1, 125, 126, 65535, 65536, 1048576]
MAX_SIZE = 2 * 1048576  # above the largest message, so the client never refuses an echo
OVERALL_TIMEOUT = 60.0
STEP_TIMEOUT = 20.0

# One character of each UTF-8 length: 1, 2, 3 and 4 bytes.
TEXT_UNIT = "aé€𝄞Zñ中😀 "


class CheckFailed(Exception):
    pass


def text_of_utf8_length(size: int) -> str:
    """Mixed ASCII and multi-byte text whose UTF-8 encoding is exactly `size` bytes."""
    chars = []
    used = 0
    i = 0
    while True:
        ch = TEXT_UNIT[i % len(TEXT_UNIT)]
        width = len(ch.encode("utf-8"))
        if used + width > size:
            break
        chars.append(ch)
        used += width
        i += 1
    chars.append("x" * (size - used))  # ASCII pads to the exact length
    text = "".join(chars)
    assert len(text.encode("utf-8")) == size
    return text


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    print(f"ok: {message}", flush=True)


def describe_difference(sent, received) -> str:
    if type(sent) is not type(received):
        return f"expected {type(sent).__name__}, got {type(received).__name__}"
    if len(sent) != len(received):
        return f"length {len(received)} instead of {len(sent)}"
    first = next(i for i, (a, b) in enumerate(zip(sent, received)) if a != b)
    unit = "character" if isinstance(sent, str) else "byte"
    return f"first difference at {unit} {first}"


async def exchange(ws, message) -> None:
    kind = "text" if isinstance(message, str) else "binary"
    size = len(message.encode("utf-8")) if isinstance(message, str) else len(message)
    await asyncio.wait_for(ws.send(message), STEP_TIMEOUT)
    echo = await asyncio.wait_for(ws.recv(), STEP_TIMEOUT)
    if type(echo) is not type(message) or echo != message:
        raise CheckFailed(f"{kind} echo of {size} bytes differs: {describe_difference(message, echo)}")
    check(True, f"{kind} message of {size} bytes echoed identically as {kind}")


async def run(uri: str) -> None:
    rng = random.Random(6455)
    async with websockets.connect(
        uri,
        max_size=MAX_SIZE,
        open_timeout=STEP_TIMEOUT,
        close_timeout=STEP_TIMEOUT,
        ping_interval=None,  # only the exchanges under test on the wire
    ) as ws:
        check(True, f"connected to {uri} (websockets {websockets.__version__})")
        for size in SIZES:
            await exchange(ws, text_of_utf8_length(size))
            await exchange(ws, rng.randbytes(size))

        await ws.close(code=1000, reason="done")
        check(ws.close_sent is not None and ws.close_sent.code == 1000, "close frame with code 1000 sent")
        received = ws.close_rcvd
        check(received is not None, "server's close frame received (close handshake completed)")
        check(received.code == 1000, f"server echoed close code 1000 (got {received.code})")
        check(ws.close_rcvd_then_sent is False, "the client initiated the close")
    check(ws.closed, "connection closed")


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: /usr/bin/python3 echo_client.py ws://HOST:PORT/ws/echo", file=sys.stderr)
        return 2
    uri = sys.argv[1]
    try:
        asyncio.run(asyncio.wait_for(run(uri), OVERALL_TIMEOUT))
    except CheckFailed as failure:
        print(f"FAIL: {failure}", file=sys.stderr)
        return 1
    except asyncio.TimeoutError:
        print(f"FAIL: timed out (a step took over {STEP_TIMEOUT:.0f} s or the whole run over "
              f"{OVERALL_TIMEOUT:.0f} s)", file=sys.stderr)
        return 1
    except websockets.exceptions.ConnectionClosed as closed:
        print(f"FAIL: connection closed unexpectedly: {closed!r}", file=sys.stderr)
        return 1
    except Exception as error:  # any other failure is reported, never a traceback-only exit
        print(f"FAIL: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("PASS: all echo checks succeeded", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
