import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

/** Stops an HTTP server without cutting a request or racing a proxy that reuses a kept-alive socket. */
export interface GracefulServer {
  /** True once `close` was called. */
  readonly draining: boolean;
  /**
   * Stops accepting connections; every answer from now on carries `Connection: close`; resolves when
   * the last connection has ended, or closes what remains after `timeoutMs`. Idle kept-alive sockets
   * are left to the client to close (Nginx does after its upstream keepalive_timeout, shorter than
   * `timeoutMs`): closing them here would race a request Nginx is sending on one (502s on reload).
   */
  close(timeoutMs: number): Promise<{ forced: boolean }>;
}

/** Wraps `server` (before it serves) for a drain on shutdown. */
export function gracefulServer(server: Server): GracefulServer {
  let draining = false;
  // First in line, so it runs before the app writes its headers (some answers are synchronous).
  server.prependListener('request', (_req, res) => {
    if (draining) res.shouldKeepAlive = false;
  });
  return {
    get draining() {
      return draining;
    },
    close(timeoutMs) {
      draining = true;
      return new Promise((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections();
          resolve({ forced: true });
        }, timeoutMs);
        force.unref();
        // net.Server's close, not http.Server's: the latter also closes idle kept-alive sockets at once.
        NetServer.prototype.close.call(server, () => {
          clearTimeout(force);
          resolve({ forced: false });
        });
      });
    },
  };
}
