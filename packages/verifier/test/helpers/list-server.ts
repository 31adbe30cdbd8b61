// A real HTTP server on 127.0.0.1 serving signed lists from a path -> body map (what a registrar's
// /status endpoint or a mirror does), so sync goes through real fetch and sockets.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListServer {
  url: string;
  files: Map<string, string | Uint8Array>;
  hits: string[];
  close(): Promise<void>;
}

export async function startListServer(): Promise<ListServer> {
  const files = new Map<string, string | Uint8Array>();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.push(path);
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/vc+jwt' }).end(body);
  });
  const address = await new Promise<AddressInfo>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo)));
  return {
    url: `http://127.0.0.1:${address.port}`,
    files,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
