import path from 'node:path';

/** The environment variable through which the global setup hands the server URL to the specs. */
export const SERVER_URL_ENV = 'DRIFTLESS_E2E_URL';

/** The fixture folder of notes, including one hostile note. */
export const FIXTURE_NOTES = path.resolve(import.meta.dirname, 'fixtures', 'notes');

/** The URL printed by `driftless serve`, token included. */
export function serverUrl(): string {
  const url = process.env[SERVER_URL_ENV];
  if (!url) throw new Error(`${SERVER_URL_ENV} is not set; the global setup did not start the server.`);
  return url;
}
