// Peer server of the AscCollab benchmark: Hocuspocus 4 in memory (no extensions, no persistence,
// no authentication), one Yjs document per name with its text in the Y.Text "text".
//
// Usage: node server.mjs PORT
//   GET  /health            200 once listening
//   POST /documents/{name}  body = the initial text the document starts with when first loaded
// Prints "LISTENING PORT" on stdout when ready; stops on SIGTERM.
import { Server } from '@hocuspocus/server';

const initialTexts = new Map();

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    request.on('data', (chunk) => {
      size += chunk.length;
      if (size > 1_000_000) request.destroy(); else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const port = Number(process.argv[2]);
const server = new Server({
  port,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: false,
  async onRequest({ request, response }) {
    if (request.method === 'GET' && request.url === '/health') {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end('ok');
      throw null; // handled: Hocuspocus stops on an empty rejection
    }
    const match = /^\/documents\/([A-Za-z0-9_-]{1,64})$/.exec(request.url ?? '');
    if (request.method === 'POST' && match) {
      initialTexts.set(match[1], await readBody(request));
      response.writeHead(201, { 'Content-Type': 'text/plain' });
      response.end('created');
      throw null;
    }
  },
  async onLoadDocument({ documentName, document }) {
    const initial = initialTexts.get(documentName);
    const text = document.getText('text');
    if (initial !== undefined && text.length === 0) text.insert(0, initial);
    return document;
  },
});
await server.listen();
console.log(`LISTENING ${port}`);
process.on('SIGTERM', () => process.exit(0));
