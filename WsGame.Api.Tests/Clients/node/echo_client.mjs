// Independent interop client for WsGame's /ws/echo endpoint, built on the `ws` library.
//
// Usage: node echo_client.mjs ws://127.0.0.1:PORT/ws/echo
//   (after `npm ci` in this folder, or `bash scripts/install-test-deps.sh` from the repository root)
//
// Sends text and binary messages at the frame-length boundaries (1, 125, 126, 65535, 65536 bytes)
// and at the server's default message limit (1 MiB), checks that every echo comes back with the same
// type and identical bytes, then closes with 1000 and checks the server answered the close.
// Prints one line per check; exits 0 when all pass, 1 on the first failure, 2 on bad usage.

const SIZES = [1, 125, 126, 65535, 65536, 1048576];
const MAX_PAYLOAD = 2 * 1048576; // above the largest message, so the client never refuses an echo
const OVERALL_TIMEOUT_MS = 60_000;
const STEP_TIMEOUT_MS = 20_000;

// One character of each UTF-8 length: 1, 2, 3 and 4 bytes.
const TEXT_UNIT = Array.from('aé€𝄞Zñ中😀 ');

class CheckFailed extends Error {}

function fail(message) {
  process.stderr.write(`FAIL: ${message}\n`);
  process.exit(1);
}

function check(condition, message) {
  if (!condition) {
    throw new CheckFailed(message);
  }
  process.stdout.write(`ok: ${message}\n`);
}

/** Mixed ASCII and multi-byte text whose UTF-8 encoding is exactly `size` bytes. */
function textOfUtf8Length(size) {
  const parts = [];
  let used = 0;
  for (let i = 0; ; i++) {
    const ch = TEXT_UNIT[i % TEXT_UNIT.length];
    const width = Buffer.byteLength(ch, 'utf8');
    if (used + width > size) {
      break;
    }
    parts.push(ch);
    used += width;
  }
  parts.push('x'.repeat(size - used)); // ASCII pads to the exact length
  const text = parts.join('');
  if (Buffer.byteLength(text, 'utf8') !== size) {
    throw new Error(`text generator produced the wrong length for ${size}`);
  }
  return text;
}

/** Deterministic pseudo-random bytes (mulberry32), so a failing run can be repeated exactly. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return (count) => {
    const bytes = Buffer.alloc(count);
    for (let i = 0; i < count; i++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return bytes;
  };
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`timed out after ${STEP_TIMEOUT_MS} ms: ${what}`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function firstDifference(a, b) {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a[i] !== b[i]) {
      return i;
    }
  }
  return length;
}

async function loadWs() {
  try {
    return (await import('ws')).default;
  } catch (error) {
    fail(`the 'ws' package is not installed next to ${new URL(import.meta.url).pathname} ` +
      `(${error.code ?? error.message}); run \`bash scripts/install-test-deps.sh\` ` +
      '(it runs `npm ci` in WsGame.Api.Tests/Clients/node)');
  }
}

async function run(uri) {
  const WebSocket = await loadWs();
  const ws = new WebSocket(uri, { maxPayload: MAX_PAYLOAD, handshakeTimeout: STEP_TIMEOUT_MS });

  // Incoming messages and the connection's end, as awaitable queues.
  const inbox = [];
  const waiters = [];
  let ended = null; // set once the connection is closed or broken
  const deliver = (item) => {
    const waiter = waiters.shift();
    if (waiter) {
      waiter(item);
    } else {
      inbox.push(item);
    }
  };
  ws.on('message', (data, isBinary) => deliver({ data, isBinary }));
  const closed = new Promise((resolve) => {
    ws.addEventListener('close', (event) => {
      ended = { code: event.code, reason: event.reason, wasClean: event.wasClean };
      resolve(ended);
      while (waiters.length > 0) {
        waiters.shift()({ ended });
      }
    });
  });
  let socketError = null;
  ws.on('error', (error) => {
    socketError = error;
  });
  const nextMessage = () => {
    if (inbox.length > 0) {
      return Promise.resolve(inbox.shift());
    }
    if (ended) {
      return Promise.resolve({ ended });
    }
    return new Promise((resolve) => waiters.push(resolve));
  };

  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  await withTimeout(opened, `opening ${uri}`);
  check(true, `connected to ${uri} (subprotocol: ${ws.protocol === '' ? 'none' : ws.protocol}, ` +
    `extensions: ${ws.extensions === '' ? 'none' : ws.extensions})`);

  const random = seededRandom(6455);
  for (const size of SIZES) {
    for (const kind of ['text', 'binary']) {
      const isBinary = kind === 'binary';
      const payload = isBinary ? random(size) : textOfUtf8Length(size);
      const expected = isBinary ? payload : Buffer.from(payload, 'utf8');
      await withTimeout(new Promise((resolve, reject) => {
        ws.send(payload, { binary: isBinary }, (error) => (error ? reject(error) : resolve()));
      }), `sending ${kind} message of ${size} bytes`);
      const echo = await withTimeout(nextMessage(), `echo of ${kind} message of ${size} bytes`);
      if (echo.ended) {
        throw new CheckFailed(`connection closed (code ${echo.ended.code} ${echo.ended.reason}) ` +
          `while waiting for the echo of the ${kind} message of ${size} bytes` +
          (socketError ? `; error: ${socketError.message}` : ''));
      }
      if (echo.isBinary !== isBinary) {
        throw new CheckFailed(`${kind} message of ${size} bytes came back as ${echo.isBinary ? 'binary' : 'text'}`);
      }
      if (!expected.equals(echo.data)) {
        throw new CheckFailed(`${kind} echo of ${size} bytes differs: length ${echo.data.length}, ` +
          `first difference at byte ${firstDifference(expected, echo.data)}`);
      }
      check(true, `${kind} message of ${size} bytes echoed identically as ${kind}`);
    }
  }

  ws.close(1000, 'done');
  const end = await withTimeout(closed, 'the close handshake');
  check(end.wasClean, `close handshake completed (close frames sent and received; wasClean=${end.wasClean})`);
  check(end.code === 1000, `server echoed close code 1000 (got ${end.code})`);
  check(ws.readyState === WebSocket.CLOSED, 'connection closed');
}

const uri = process.argv[2];
if (process.argv.length !== 3 || !uri) {
  process.stderr.write('usage: node echo_client.mjs ws://HOST:PORT/ws/echo\n');
  process.exit(2);
}

const overall = setTimeout(() => fail(`the whole run took over ${OVERALL_TIMEOUT_MS} ms`), OVERALL_TIMEOUT_MS);
try {
  await run(uri);
  clearTimeout(overall);
  process.stdout.write('PASS: all echo checks succeeded\n');
  process.exit(0);
} catch (error) {
  fail(error instanceof CheckFailed ? error.message : `${error.name}: ${error.message}`);
}
