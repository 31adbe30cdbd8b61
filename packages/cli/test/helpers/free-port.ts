import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (for a registrar's status server in e2e tests). */
export function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}
