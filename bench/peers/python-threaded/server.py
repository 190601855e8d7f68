#!/usr/bin/python3
"""Benchmark baseline for WsGame: the seed's design, a thread per client with a hand-written
RFC 6455 handshake and frame parser over a plain socket, standard library only.

    /usr/bin/python3 server.py PORT

Listens on 127.0.0.1:PORT only and prints "listening on 127.0.0.1:PORT" once ready.
  /ws/echo  every message back with its type (text or binary); no other path (404)
No extensions or subprotocols. Unlike the seed it reads exactly as many bytes as a frame needs
(recv may return fewer), decodes 16- and 64-bit lengths, requires and removes the client's mask,
reassembles fragments, answers ping with pong and close with close, validates text as UTF-8
without decoding it byte by byte, caps messages at 1 MiB (1009 beyond), and guards the shared
connection set with a lock. SIGTERM or SIGINT closes every connection with 1001 and exits.
"""
import base64
import hashlib
import signal
import socket
import socketserver
import struct
import sys
import threading

MAX_MESSAGE_BYTES = 1024 * 1024
ACCEPT_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_HEADER_LINE = 8192
MAX_HEADERS = 100
HANDSHAKE_TIMEOUT = 10.0

OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA

CLOSE_NORMAL, CLOSE_GOING_AWAY, CLOSE_PROTOCOL_ERROR = 1000, 1001, 1002
CLOSE_INVALID_DATA, CLOSE_TOO_BIG = 1007, 1009


class ProtocolError(Exception):
    """The client broke RFC 6455; the connection closes with `code`."""

    def __init__(self, code, reason):
        super().__init__(reason)
        self.code = code


def accept_key(key):
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + ACCEPT_GUID).digest()).decode("ascii")


def unmask(payload, mask):
    """XOR with the 4-byte mask, as one big-integer operation rather than a Python loop per byte."""
    n = len(payload)
    if n == 0:
        return b""
    key = (mask * (n // 4 + 1))[:n]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")


def frame_header(opcode, length):
    """Server frames are final and unmasked; 126 and 127 announce 16- and 64-bit lengths."""
    first = 0x80 | opcode
    if length < 126:
        return bytes((first, length))
    if length <= 0xFFFF:
        return struct.pack("!BBH", first, 126, length)
    return struct.pack("!BBQ", first, 127, length)


def valid_close_code(code):
    return code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011) or 3000 <= code <= 4999


class Connection:
    def __init__(self, sock):
        self.sock = sock
        self.reader = sock.makefile("rb", buffering=65536)
        self.send_lock = threading.Lock()  # the shutdown path may write a close from another thread
        self.closed = False  # a close frame was sent; guarded by send_lock

    # ---- reading -----------------------------------------------------------------------------

    def read_exactly(self, n):
        """n bytes, however many recv calls that takes; EOFError if the peer hung up first."""
        data = self.reader.read(n) if n else b""
        if len(data) != n:
            raise EOFError
        return data

    def read_line(self):
        line = self.reader.readline(MAX_HEADER_LINE + 1)
        if not line:
            raise EOFError
        if len(line) > MAX_HEADER_LINE or not line.endswith(b"\r\n"):
            raise ValueError("header line too long or not ended by CRLF")
        return line[:-2].decode("latin-1")

    def read_frame(self):
        first, second = self.read_exactly(2)
        fin = bool(first & 0x80)
        if first & 0x70:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "reserved bits set without an extension")
        opcode = first & 0x0F
        if not second & 0x80:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "client frames must be masked")
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self.read_exactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self.read_exactly(8))
            if length >> 63:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "64-bit length with the high bit set")
        if opcode >= 0x8:
            if opcode not in (OP_CLOSE, OP_PING, OP_PONG):
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"unknown control opcode {opcode}")
            if not fin or length > 125:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "control frames are final and at most 125 bytes")
        elif opcode not in (OP_CONTINUATION, OP_TEXT, OP_BINARY):
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"unknown data opcode {opcode}")
        if length > MAX_MESSAGE_BYTES:
            raise ProtocolError(CLOSE_TOO_BIG, "message too big")
        mask = self.read_exactly(4)
        return fin, opcode, unmask(self.read_exactly(length), mask)

    # ---- writing -----------------------------------------------------------------------------

    def send_frame(self, opcode, payload=b""):
        header = frame_header(opcode, len(payload))
        with self.send_lock:
            if self.closed:
                return
            if len(payload) < 4096:
                self.sock.sendall(header + payload)  # one segment for small frames
            else:
                self.sock.sendall(header)  # no copy of a large payload
                self.sock.sendall(payload)
            if opcode == OP_CLOSE:
                self.closed = True

    def send_close(self, code):
        try:
            self.send_frame(OP_CLOSE, struct.pack("!H", code))
        except OSError:
            pass

    def drain(self, seconds=2.0):
        """After closing for an error: stop sending and discard what the client still sends until it
        hangs up (briefly), so closing with unread data does not reset the connection and destroy
        the close frame on its way."""
        try:
            self.sock.shutdown(socket.SHUT_WR)
            self.sock.settimeout(seconds)
            while self.sock.recv(65536):
                pass
        except OSError:
            pass

    # ---- handshake -----------------------------------------------------------------------------

    def respond(self, status, extra=""):
        self.sock.sendall(f"HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n".encode("ascii"))

    def handshake(self):
        """Reads the upgrade request; answers 101 and returns True, or an HTTP error and False."""
        try:
            method, target, version = self.read_line().split(" ")
        except ValueError:
            self.respond("400 Bad Request")
            return False
        headers = {}
        while True:
            line = self.read_line()
            if not line:
                break
            name, colon, value = line.partition(":")
            if not colon or len(headers) >= MAX_HEADERS:
                self.respond("400 Bad Request")
                return False
            name = name.strip().lower()
            value = value.strip()
            # Repeated headers are one comma-separated list (RFC 9110).
            headers[name] = f"{headers[name]}, {value}" if name in headers else value

        def tokens(name):
            return {token.strip().lower() for token in headers.get(name, "").split(",")}

        if target.split("?", 1)[0] != "/ws/echo":
            self.respond("404 Not Found")
            return False
        if method != "GET" or version != "HTTP/1.1" or "websocket" not in tokens("upgrade") \
                or "upgrade" not in tokens("connection"):
            self.respond("426 Upgrade Required", "Upgrade: websocket\r\n")
            return False
        if headers.get("sec-websocket-version") != "13":
            self.respond("426 Upgrade Required", "Sec-WebSocket-Version: 13\r\n")
            return False
        key = headers.get("sec-websocket-key", "")
        try:
            if len(base64.b64decode(key, validate=True)) != 16:
                raise ValueError
        except ValueError:
            self.respond("400 Bad Request")
            return False
        self.sock.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept_key(key)}\r\n\r\n".encode("ascii"))
        return True

    # ---- the echo loop -------------------------------------------------------------------------

    def run(self):
        self.sock.settimeout(HANDSHAKE_TIMEOUT)
        if not self.handshake():
            return
        self.sock.settimeout(None)
        message_opcode = None  # opcode of the fragmented message being reassembled
        parts = []
        size = 0
        while True:
            fin, opcode, payload = self.read_frame()
            if opcode == OP_PING:
                self.send_frame(OP_PONG, payload)
                continue
            if opcode == OP_PONG:
                continue
            if opcode == OP_CLOSE:
                self.answer_close(payload)
                return
            if opcode == OP_CONTINUATION:
                if message_opcode is None:
                    raise ProtocolError(CLOSE_PROTOCOL_ERROR, "continuation without a message")
            elif message_opcode is not None:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one")
            else:
                message_opcode = opcode
            size += len(payload)
            if size > MAX_MESSAGE_BYTES:
                raise ProtocolError(CLOSE_TOO_BIG, "message too big")
            parts.append(payload)
            if not fin:
                continue
            message = parts[0] if len(parts) == 1 else b"".join(parts)
            if message_opcode == OP_TEXT:
                try:
                    message.decode("utf-8")  # validation only; the bytes go back unchanged
                except UnicodeDecodeError:
                    raise ProtocolError(CLOSE_INVALID_DATA, "text message is not UTF-8") from None
            self.send_frame(message_opcode, message)
            message_opcode, parts, size = None, [], 0

    def answer_close(self, payload):
        """Echo the client's status code (or an empty close if it sent none), then hang up."""
        if len(payload) == 1:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, "close payload of one byte")
        if payload:
            (code,) = struct.unpack("!H", payload[:2])
            if not valid_close_code(code):
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"invalid close code {code}")
            try:
                payload[2:].decode("utf-8")
            except UnicodeDecodeError:
                raise ProtocolError(CLOSE_INVALID_DATA, "close reason is not UTF-8") from None
            self.send_close(code)
        else:
            try:
                self.send_frame(OP_CLOSE)
            except OSError:
                pass


class Handler(socketserver.BaseRequestHandler):
    """One thread per client (socketserver's ThreadingMixIn), as in the seed."""

    def handle(self):
        sock = self.request
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        connection = Connection(sock)
        self.server.track(connection, True)
        try:
            connection.run()
        except ProtocolError as error:
            connection.send_close(error.code)
            connection.drain()
        except (EOFError, OSError, ValueError):
            pass  # the client hung up, timed out in the handshake, or sent a malformed request
        finally:
            self.server.track(connection, False)
            connection.reader.close()
            # socketserver closes the socket after this; the client sees the FIN after our close.


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 1024  # the listen backlog (socketserver's default is 5)

    def __init__(self, address):
        super().__init__(address, Handler)
        self.lock = threading.Lock()  # the seed touched its client list from many threads unguarded
        self.connections = set()

    def track(self, connection, add):
        with self.lock:
            (self.connections.add if add else self.connections.discard)(connection)

    def close_all(self):
        with self.lock:
            connections = list(self.connections)
        for connection in connections:
            connection.send_close(CLOSE_GOING_AWAY)
            try:
                connection.sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in recv
            except OSError:
                pass


def main():
    try:
        port = int(sys.argv[1])
        if not 0 < port < 65536:
            raise ValueError(port)
    except (IndexError, ValueError):
        print("usage: /usr/bin/python3 server.py PORT", file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = Server(("127.0.0.1", port))
    serving = threading.Thread(target=server.serve_forever, name="accept", daemon=True)
    serving.start()
    print(f"listening on 127.0.0.1:{port}", flush=True)
    stop.wait()
    server.shutdown()  # stops the accept loop
    server.server_close()
    server.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
