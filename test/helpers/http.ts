import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Express } from 'express';

import { createHttpServer } from '../../adapters/http-server';
import { assertDocumentedResponse } from './response-conformance';

export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * `port` 0 = any free port; a fixed one when the URL must be known before the app is built. The
 * server is built as the services build theirs: with Node's 5 s keep-alive default, a loaded
 * machine let fetch reuse a socket the server was closing ("other side closed" in CI).
 */
export async function listen(app: Express, listenPort = 0): Promise<RunningServer> {
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(listenPort, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** fetch + JSON with the status kept, for assertions on the envelope. */
export async function request(url: string, init: RequestInit & { json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  const res = await fetch(url, { ...init, headers, body });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  assertDocumentedResponse(url, init.method ?? 'GET', res.status, json, res.headers.get('content-type'));
  return { status: res.status, headers: res.headers, json, text };
}
