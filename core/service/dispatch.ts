import type { z } from 'zod';
import { DriftlessError } from '../base/index.ts';
import { issueSentence } from './argumentErrors.ts';
import { apiArgs, type ApiMethod, type DriftlessApi, type Envelope } from './contract.ts';

const MAX_REPORTED_ISSUES = 20;

/** True when `method` names an API method (own keys only, so `__proto__` or `toString` never match). */
export function isApiMethod(method: string): method is ApiMethod {
  return Object.hasOwn(apiArgs, method);
}

/**
 * Runs one API call from an untrusted transport: checks the method name, validates the argument
 * against the contract's schema and wraps the outcome in an envelope. Never throws.
 *
 * @example
 * const envelope = await dispatch(app.api, 'search', { query: 'tax' });
 */
export async function dispatch(
  api: DriftlessApi,
  method: string,
  rawArgs: unknown,
): Promise<Envelope<unknown>> {
  try {
    const value = await invoke(api, method, rawArgs);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: DriftlessError.from(error).toJSON() };
  }
}

async function invoke(api: DriftlessApi, method: string, rawArgs: unknown): Promise<unknown> {
  if (!isApiMethod(method)) {
    throw new DriftlessError('INVALID_ARGUMENT', `Unknown method "${method.slice(0, 100)}".`);
  }
  const parsed = apiArgs[method].safeParse(rawArgs);
  if (!parsed.success) throw invalidArguments(method, parsed.error);
  // The schema and the implementation are both keyed by `method`; TypeScript cannot correlate them.
  const call = api[method] as (args: unknown) => Promise<unknown>;
  return await call.call(api, parsed.data);
}

/**
 * A refused argument as one sentence a person can act on (the window shows it beside the field the
 * issue's path names; the command line prints it), with every issue in the details.
 */
function invalidArguments(method: ApiMethod, error: z.ZodError): DriftlessError {
  const issues = error.issues.slice(0, MAX_REPORTED_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issueSentence(issue),
  }));
  return new DriftlessError('INVALID_ARGUMENT', issues[0]?.message ?? `The ${method} request is not valid.`, {
    method,
    issues,
  });
}
