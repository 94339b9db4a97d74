import { createApiClient, createHttpCall, type ApiEvent, type DriftlessApi } from './contract.ts';
import type { DriftlessBridge } from './env.d.ts';

/** The window's connection to the core: the typed API, its events, and host-only extras. */
export interface Connection {
  readonly api: DriftlessApi;
  readonly mode: 'electron' | 'web';
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** A native folder picker when the host has one (Electron); undefined in web mode. */
  readonly pickFolder: (() => Promise<string | null>) | undefined;
}

/** Picks the Electron bridge when the preload exposed one, else the local HTTP transport. */
export function connect(win: Window = window): Connection {
  const bridge = win.driftless;
  return bridge ? connectIpc(bridge) : connectHttp(win.location.origin);
}

function connectIpc(bridge: DriftlessBridge): Connection {
  return {
    api: createApiClient((method, args) => bridge.call(method, args)),
    mode: 'electron',
    onEvent: (listener) => bridge.onEvent(listener),
    pickFolder: bridge.pickFolder,
  };
}

function connectHttp(origin: string): Connection {
  return {
    // Same origin: the HttpOnly session cookie set by `driftless serve` authenticates each call.
    api: createApiClient(createHttpCall({ baseUrl: origin })),
    mode: 'web',
    onEvent: (listener) => subscribeHttpEvents(origin, listener),
    pickFolder: undefined,
  };
}

function subscribeHttpEvents(origin: string, listener: (event: ApiEvent) => void): () => void {
  const source = new EventSource(`${origin}/api/events`, { withCredentials: true });
  source.onmessage = (message: MessageEvent<string>) => {
    const event = parseEvent(message.data);
    if (event) listener(event);
  };
  return () => source.close();
}

function parseEvent(data: string): ApiEvent | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return value && typeof value === 'object' && 'type' in value ? (value as ApiEvent) : undefined;
  } catch {
    return undefined;
  }
}
