// The practical ceiling: a bare node:http server answering precomputed bytes, no framework at all.
// Usage: node --import tsx baseline-server.ts <response.json> <port>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

interface CapturedResponse {
  body: string;
  headers: Record<string, string>;
}

const [file, port] = process.argv.slice(2);
if (!file || !port) {
  console.error('usage : baseline-server.ts <response.json> <port>');
  process.exit(2);
}
const captured = JSON.parse(readFileSync(file, 'utf8')) as CapturedResponse;
const body = Buffer.from(captured.body);
const headers = { ...captured.headers, 'content-length': String(body.length) };

const server = createServer((_req, res) => {
  res.writeHead(200, headers);
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log(`baseline prête sur ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
