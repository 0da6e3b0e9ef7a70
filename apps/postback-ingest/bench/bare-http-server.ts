import { createServer } from 'node:http';

// The benchmark's baseline: the least a Node.js HTTP server can do per request
// (read it, answer a small JSON body), with no framework, validation or I/O.
const body = Buffer.from('{"ok":true}');
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
