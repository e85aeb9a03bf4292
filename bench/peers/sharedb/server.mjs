// Peer server of the AscCollab benchmark: ShareDB 7 in memory (its default MemoryDB and pub/sub),
// documents of type ot-text-unicode, clients over ShareDB's standard WebSocket JSON stream
// (ws + @teamwork/websocket-json-stream). No authentication, no persistence: the in-memory peer
// the issue compares AscCollab's durable path against.
//
// Usage: node server.mjs PORT
//   GET  /health            200 once listening
//   POST /documents/{id}    body = the initial text; creates collection "bench", document {id}
// Prints "LISTENING PORT" on stdout when ready; stops on SIGTERM.
import http from 'node:http';
import ShareDB from 'sharedb';
import WebSocketJSONStream from '@teamwork/websocket-json-stream';
import otText from 'ot-text-unicode';
import { WebSocketServer } from 'ws';

ShareDB.types.register(otText.type);
const backend = new ShareDB();
const local = backend.connect();

const server = http.createServer((request, response) => {
  const reply = (status, body) => { response.writeHead(status, { 'Content-Type': 'text/plain' }); response.end(body); };
  if (request.method === 'GET' && request.url === '/health') return reply(200, 'ok');
  const match = /^\/documents\/([A-Za-z0-9_-]{1,64})$/.exec(request.url ?? '');
  if (request.method !== 'POST' || !match) return reply(404, 'not found');
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > 1_000_000) request.destroy(); else chunks.push(chunk);
  });
  request.on('end', () => {
    const doc = local.get('bench', match[1]);
    doc.create(Buffer.concat(chunks).toString('utf8'), otText.type.uri, (err) => (err ? reply(409, err.message) : reply(201, 'created')));
  });
});
const sockets = new WebSocketServer({ server });
sockets.on('connection', (socket) => backend.listen(new WebSocketJSONStream(socket)));

const port = Number(process.argv[2]);
server.listen(port, '127.0.0.1', () => console.log(`LISTENING ${port}`));
process.on('SIGTERM', () => process.exit(0));
