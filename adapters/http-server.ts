import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * An HTTP server whose idle keep-alive sockets outlive their clients' reuse of them. Node closes an
 * idle socket after 5 s by default; a client (a load balancer, undici's pool, a provider's webhook
 * sender) that sends on it at that moment gets "other side closed" for a request the server never
 * saw. Clients give up on idle sockets sooner than this (load balancers at 60 s, undici at 4 s), so
 * the server is never the side that closes a socket in use. The headers timeout must exceed it, or
 * Node would cut a slow client's headers first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

export function createHttpServer(app: RequestListener): Server {
  const server = createServer(app);
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  return server;
}
