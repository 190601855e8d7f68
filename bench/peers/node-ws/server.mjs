// Benchmark peer for WsGame: the Node `ws` library, used the way its documentation suggests.
//   node server.mjs PORT      (run `npm ci` in this folder once)
// Listens on 127.0.0.1:PORT only and prints "listening on 127.0.0.1:PORT" once ready.
//   /ws/echo  every message back with its type
//   /ws/chat  the seed chat room: join / chat in; status, chat and error out; broadcast to all
// No compression; messages up to 1 MiB inclusive (larger ones close the connection with 1009).
import http from 'node:http';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, WebSocket } from 'ws';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error('usage: node server.mjs PORT');
  process.exit(2);
}

const MAX_MESSAGE_BYTES = 1024 * 1024;
const options = { noServer: true, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES };
const echo = new WebSocketServer(options);
const chat = new WebSocketServer(options);
const routes = new Map([['/ws/echo', echo], ['/ws/chat', chat]]);

const server = http.createServer((request, response) => {
  // A plain HTTP request: the paths exist only as WebSocket endpoints.
  response.writeHead(routes.has(pathOf(request.url)) ? 426 : 404, { 'Content-Length': '0' });
  response.end();
});

server.on('upgrade', (request, socket, head) => {
  const target = routes.get(pathOf(request.url));
  if (!target) {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
});

function pathOf(url) {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

echo.on('connection', (ws) => {
  ws.on('error', () => {}); // the close event follows; nothing else to do
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
});

// Replies are compact JSON; a broadcast is stringified and encoded once, and the same Buffer is
// handed to every socket. ws.send never blocks: each socket buffers what its client has not read.
const encode = (message) => Buffer.from(JSON.stringify(message));
const INVALID_JSON = encode({ type: 'error', message: 'Invalid JSON format.' });
const INVALID_FORMAT = encode({ type: 'error', message: 'Invalid message format or not joined.' });

function broadcast(message) {
  const data = encode(message);
  for (const client of chat.clients) { // every connection, joined or not, as in the seed
    if (client.readyState === WebSocket.OPEN) {
      client.send(data, { binary: false });
    }
  }
}

chat.on('connection', (ws) => {
  let name = null; // set by join
  ws.on('error', () => {});
  ws.on('message', (data) => {
    // Binary frames are read as JSON too (the seed's json.loads accepts bytes); text frames were
    // already checked for UTF-8 by ws.
    let request;
    try {
      if (!isUtf8(data)) {
        throw new SyntaxError('not UTF-8');
      }
      request = JSON.parse(data.toString('utf8'));
    } catch {
      ws.send(INVALID_JSON, { binary: false });
      return;
    }
    const isObject = request !== null && typeof request === 'object' && !Array.isArray(request);
    if (isObject && request.type === 'join') {
      // A missing, null or non-string name is "Anonymous"; joining again renames.
      name = typeof request.name === 'string' ? request.name : 'Anonymous';
      broadcast({ type: 'status', message: `${name} joined the chat.` });
    } else if (isObject && request.type === 'chat' && name !== null) {
      const message = Object.hasOwn(request, 'message') ? request.message : '';
      broadcast({ type: 'chat', sender: name, message });
    } else {
      ws.send(INVALID_FORMAT, { binary: false });
    }
  });
  ws.on('close', () => {
    // ws has already taken this socket out of chat.clients.
    if (name !== null) {
      broadcast({ type: 'status', message: `${name} left the chat.` });
    }
  });
});

function shutdown() {
  server.close();
  for (const ws of [...echo.clients, ...chat.clients]) {
    ws.terminate();
  }
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

server.listen(port, '127.0.0.1', () => {
  console.log(`listening on 127.0.0.1:${port}`);
});
