/** The environment variable through which the global setup hands the server URL to the specs. */
export const SERVER_URL_ENV = 'DRIFTLESS_E2E_URL';

/** The environment variable through which the global setup names the notes folder. */
export const FIXTURE_NOTES_ENV = 'DRIFTLESS_E2E_NOTES';

/** The notes folder: the fixture notes (one of them hostile) and the generated large hostile notes. */
export function fixtureNotes(): string {
  const dir = process.env[FIXTURE_NOTES_ENV];
  if (!dir) throw new Error(`${FIXTURE_NOTES_ENV} is not set; the global setup did not copy the notes.`);
  return dir;
}

/** The URL printed by `driftless serve`, token included. */
export function serverUrl(): string {
  const url = process.env[SERVER_URL_ENV];
  if (!url) throw new Error(`${SERVER_URL_ENV} is not set; the global setup did not start the server.`);
  return url;
}
