import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

// Ports handed out lie below Linux's ephemeral range (32768–60999), which the kernel gives to every
// outgoing connection: a port picked from that range (listen(0)) and released could be taken by some
// client socket before the test's server binds it (seen once in CI: EADDRINUSE on the API's port).
const FIRST_PORT = 20_000;
const LAST_PORT = 32_767;

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Returns a free loopback TCP port, picked at random below the kernel's ephemeral range. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT + 1));
    if (await bindable(port)) return port;
  }
  throw new Error(`aucun port libre entre ${FIRST_PORT} et ${LAST_PORT} sur 127.0.0.1`);
}

/** Resolves once something accepts TCP connections on the port; throws after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`rien n'écoute sur 127.0.0.1:${port} après ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A server process the tests can stop and start again on the same port, to simulate an outage. */
export interface ServiceProcess {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Sends `signal` to the running process (SIGSTOP freezes it, SIGCONT wakes it). */
  signal(signal: NodeJS.Signals): void;
}

/** Wraps `command args` as a stoppable service that is ready once `port` accepts connections. */
export function serviceProcess(command: string, args: string[], port: number): ServiceProcess {
  let child: ChildProcess | undefined;
  process.once('exit', () => child?.kill('SIGKILL'));
  return {
    async start() {
      if (child) return;
      const started = spawn(command, args, { stdio: 'ignore' });
      child = started;
      started.once('exit', () => {
        if (child === started) child = undefined;
      });
      await waitForPort(port);
    },
    signal(signal) {
      if (!child) throw new Error(`${command} ne tourne pas`);
      child.kill(signal);
    },
    async stop() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        running.once('exit', () => resolve());
        running.kill('SIGKILL');
      });
    },
  };
}

/** Polls `check` until it resolves true (a rejection counts as false); throws after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition non remplie après ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
