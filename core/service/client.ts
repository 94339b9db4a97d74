/**
 * The API client used by the renderer (over IPC or HTTP) and by the CLI. Runtime-neutral: no Node
 * APIs, because the renderer bundles this file.
 */
import { DriftlessError, type SerializedError } from '../base/errors.ts';
import { API_METHODS, type ApiMethod, type DriftlessApi, type Envelope } from './contract.ts';

/** Carries one call to the other side and returns its envelope. */
export type ApiCall = (method: ApiMethod, args: unknown) => Promise<Envelope<unknown>>;

/**
 * Builds a `DriftlessApi` whose methods send every call through `call` and unwrap the envelope,
 * rebuilding a failure as a `DriftlessError` with its code. The object holds exactly the contract's
 * methods (no catch-all proxy, so `then` or typos stay undefined instead of becoming remote calls).
 *
 * @throws DriftlessError from the remote side, or from `DriftlessError.from` when the transport fails.
 */
export function createApiClient(call: ApiCall): DriftlessApi {
  const entries = API_METHODS.map((method) => [method, (args: unknown) => callMethod(call, method, args)]);
  return Object.freeze(Object.fromEntries(entries)) as DriftlessApi;
}

async function callMethod(call: ApiCall, method: ApiMethod, args: unknown): Promise<unknown> {
  let envelope: Envelope<unknown>;
  try {
    envelope = await call(method, args);
  } catch (error) {
    throw DriftlessError.from(error);
  }
  if (envelope.ok) return envelope.value;
  throw DriftlessError.fromJSON(envelope.error as SerializedError);
}

export interface HttpCallOptions {
  /** Origin of the local web mode server; '' for same-origin calls from the served page. */
  baseUrl?: string;
  /** Bearer token; omit in the served page, where the HttpOnly cookie authenticates. */
  token?: string;
  fetch?: typeof fetch;
}

/**
 * The `ApiCall` for the local web mode: `POST <baseUrl>/api/<method>` with a JSON body.
 * A transport failure (server gone) becomes an OFFLINE error.
 */
export function createHttpCall(options: HttpCallOptions = {}): ApiCall {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const baseUrl = options.baseUrl ?? '';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return async (method, args) => {
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(args ?? {}),
        credentials: 'same-origin',
      });
    } catch (error) {
      throw new DriftlessError('OFFLINE', 'The Driftless server cannot be reached.', undefined, {
        cause: error,
      });
    }
    return await readEnvelope(response);
  };
}

async function readEnvelope(response: Response): Promise<Envelope<unknown>> {
  try {
    return (await response.json()) as Envelope<unknown>;
  } catch {
    const message = `The server answered ${response.status} without a result.`;
    return { ok: false, error: { code: response.status === 401 ? 'UNAUTHORIZED' : 'INTERNAL', message } };
  }
}
