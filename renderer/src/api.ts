import {
  createApiClient,
  createHttpCall,
  type ApiEvent,
  type DriftlessApi,
  type DriftlessBridge,
} from './contract.ts';

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
  return bridge ? connectIpc(bridge) : connectHttp(win.location.origin, takeToken(win));
}

/** Where the page keeps the server's token: per tab and per origin (so per port), never a cookie. */
export const TOKEN_STORAGE_KEY = 'driftless.token';

/**
 * The web mode's token. `driftless serve` opens `/#token=…`: a fragment is never sent to any server.
 * The page moves it into sessionStorage, which only this origin (this host and port) can read and
 * which survives reloads, and removes it from the address bar and history at once.
 */
export function takeToken(win: Window): string | undefined {
  const fromUrl = new URLSearchParams(win.location.hash.slice(1)).get('token');
  if (fromUrl) {
    win.sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
  }
  return win.sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? undefined;
}

function connectIpc(bridge: DriftlessBridge): Connection {
  return {
    api: createApiClient((method, args) => bridge.call(method, args)),
    mode: 'electron',
    onEvent: (listener) => bridge.onEvent(listener),
    pickFolder: bridge.pickFolder,
  };
}

function connectHttp(origin: string, token: string | undefined): Connection {
  return {
    // The token goes as a bearer header to this origin only; without one every call is refused and
    // the window says to open the URL that `driftless serve` printed.
    api: createApiClient(createHttpCall({ baseUrl: origin, ...(token ? { token } : {}) })),
    mode: 'web',
    onEvent: (listener) => subscribeHttpEvents(origin, token, listener),
    pickFolder: undefined,
  };
}

function subscribeHttpEvents(
  origin: string,
  token: string | undefined,
  listener: (event: ApiEvent) => void,
): () => void {
  // EventSource cannot send headers: the token goes in the query, to this origin only.
  const source = new EventSource(`${origin}/api/events?token=${encodeURIComponent(token ?? '')}`);
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
