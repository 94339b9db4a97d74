/**
 * The core in Electron's utility process: opens the data folder with file watching on and serves the
 * API over the parent port, so indexing and training never block the window or the main process.
 */
import type { MessageEvent, ParentPort } from 'electron';
import { resolveDataDir } from '../core/base/index.ts';
import { openApp, type App } from '../core/app/index.ts';
import { dispatch } from '../core/service/index.ts';
import { serveOverPort, type CoreControl, type PortLike, type ServedApi } from './workerChannel.ts';

function parentPort(): PortLike {
  // Electron's types declare it on every process; it is there only in a utility process.
  const port = process.parentPort as ParentPort | null | undefined;
  if (!port) throw new Error('worker.ts runs only as an Electron utility process.');
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage(listener) {
      const unwrap = (event: MessageEvent) => listener(event.data);
      port.on('message', unwrap);
      return () => port.off('message', unwrap);
    },
  };
}

/** What the main process last said of the power source; unknown until it says. */
let onBattery: boolean | undefined;

async function open(): Promise<{ app: App; served: ServedApi }> {
  const app = await openApp({
    dataDir: resolveDataDir(process.env.DRIFTLESS_DATA_DIR),
    watch: true,
    onBattery: () => onBattery,
    // An index too damaged to open is moved aside (kept): the window then says so and offers Repair.
    setAsideDamagedIndex: true,
  });
  const served: ServedApi = {
    dispatch: (method, args) => dispatch(app.api, method, args),
    onEvent: (listener) => app.events.on(listener),
  };
  return { app, served };
}

const port = parentPort();
const opening = open();
const control: CoreControl = {
  onPower: (value) => (onBattery = value),
  // Jobs stop at their next checkpoint and the index closes, so a quit never cuts a write.
  drain: () => opening.then(({ app }) => app.close()),
};
serveOverPort(
  port,
  opening.then(({ served }) => served),
  control,
);

// Killed without being asked first (the main process crashed): still close the index.
process.once('SIGTERM', () => {
  void control.drain().finally(() => process.exit(0));
});
