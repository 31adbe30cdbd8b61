// Real network faults for tests: a TCP proxy that can be stopped and started (an RPC outage), and a
// listener that accepts connections and never answers (a black-holed endpoint).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { BIN, REPO } from './run-cradle.js';

/** A TCP proxy in front of `target`; `stop()` refuses new connections and cuts open ones, `start()` resumes on the same port. */
export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: put it where the real URL would go. */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** Start a TCP proxy to the host:port of `targetUrl`. */
export async function tcpProxy(targetUrl: string): Promise<TcpProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = async (): Promise<void> => {
    const s = createServer((client) => {
      const upstream = connect(Number(target.port), target.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    port = await listen(s, port);
    server = s;
  };
  await open();
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async start() {
      if (server === undefined) await open();
    },
  };
}

/** A listener that accepts every connection and never sends a byte. */
export interface BlackHole {
  readonly url: string;
  /** Connections accepted so far. */
  readonly accepted: () => number;
  close(): Promise<void>;
}

/** Start a {@link BlackHole} on a free port of 127.0.0.1. */
export async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server = createServer((sock) => {
    accepted += 1;
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => undefined);
    sock.resume(); // read and discard: the peer's writes succeed, no answer ever comes
  });
  const port = await listen(server, 0);
  return {
    url: `http://127.0.0.1:${port}`,
    accepted: () => accepted,
    async close() {
      for (const sock of sockets) sock.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A long-running `cradle` process (e.g. `registrar serve --json`) and the first line it printed. */
export interface RunningCradle {
  readonly child: ChildProcess;
  readonly firstLine: string;
  /** SIGTERM, then wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Spawn `cradle ARGS` (source build through tsx) and wait for its first line on stdout. */
export async function startCradle(args: readonly string[], env: Record<string, string | undefined>): Promise<RunningCradle> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', BIN, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  const firstLine = await new Promise<string>((done, fail) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (buf.includes('\n')) done(buf.split('\n')[0]!);
    });
    void closed.then((code) => fail(new Error(`cradle ${args.join(' ')} exited with ${code}: ${stderr}`)));
  });
  return {
    child,
    firstLine,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return closed;
    },
  };
}
