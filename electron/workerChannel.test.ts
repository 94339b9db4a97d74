import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Emitter } from '../core/base/index.ts';
import type { ApiEvent, Envelope } from '../core/service/contract.ts';
import {
  createWorkerClient,
  serveOverPort,
  type CoreControl,
  type PortLike,
  type ServedApi,
} from './workerChannel.ts';

function adapt(port: MessagePort): PortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    onMessage: (listener) => {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}

const channels: MessageChannel[] = [];
afterEach(() => {
  for (const channel of channels.splice(0)) {
    channel.port1.close();
    channel.port2.close();
  }
});

function connect(api: Promise<ServedApi>, control?: CoreControl) {
  const channel = new MessageChannel();
  channels.push(channel);
  serveOverPort(adapt(channel.port2), api, control);
  return createWorkerClient(adapt(channel.port1));
}

function echoApi(events = new Emitter<ApiEvent>()): ServedApi {
  return {
    dispatch: async (method, args): Promise<Envelope<unknown>> =>
      method === 'status'
        ? { ok: true, value: { echoed: args } }
        : { ok: false, error: { code: 'INVALID_ARGUMENT', message: method } },
    onEvent: (listener) => events.on(listener),
  };
}

describe('worker channel', () => {
  it('carries calls and their envelopes, matching concurrent answers to their calls', async () => {
    const client = connect(Promise.resolve(echoApi()));
    await client.ready;
    const [a, b] = await Promise.all([client.call('status', { n: 1 }), client.call('nope', {})]);
    expect(a).toEqual({ ok: true, value: { echoed: { n: 1 } } });
    expect(b).toEqual({ ok: false, error: { code: 'INVALID_ARGUMENT', message: 'nope' } });
  });

  it('holds calls made before the core opens until it has', async () => {
    let open!: (api: ServedApi) => void;
    const client = connect(new Promise<ServedApi>((resolve) => (open = resolve)));
    const answer = client.call('status', { early: true });
    open(echoApi());
    expect(await answer).toEqual({ ok: true, value: { echoed: { early: true } } });
  });

  it('forwards core events to every listener until it unsubscribes', async () => {
    const events = new Emitter<ApiEvent>();
    const client = connect(Promise.resolve(echoApi(events)));
    await client.ready;
    const seen: ApiEvent[] = [];
    const stop = client.onEvent((event) => seen.push(event));
    events.emit({ type: 'folders-changed' });
    await client.call('status', {}); // a round trip: the event was posted before the answer
    stop();
    events.emit({ type: 'versions-changed', current: 'v1' });
    await client.call('status', {});
    expect(seen).toEqual([{ type: 'folders-changed' }]);
  });

  it('reports a core that failed to open, and answers calls with that failure', async () => {
    const failure = Object.assign(new Error('data folder is locked'), { code: 'LOCKED' });
    const client = connect(Promise.reject(failure));
    await expect(client.ready).rejects.toThrow('data folder is locked');
    expect(await client.call('status', {})).toEqual({
      ok: false,
      error: { code: 'LOCKED', message: 'data folder is locked' },
    });
  });

  it('fails pending and later calls as OFFLINE once closed', async () => {
    const client = connect(new Promise<ServedApi>(() => undefined));
    const pending = client.call('status', {});
    client.close('The core process exited.');
    expect(await pending).toEqual({
      ok: false,
      error: { code: 'OFFLINE', message: 'The core process exited.' },
    });
    expect((await client.call('status', {})).ok).toBe(false);
  });

  it('passes the power source on, in order, to the core', async () => {
    const seen: boolean[] = [];
    let heard: () => void = () => undefined;
    const control: CoreControl = {
      onPower: (onBattery) => (seen.push(onBattery), seen.length === 2 && heard()),
      drain: async () => undefined,
    };
    const client = connect(Promise.resolve(echoApi()), control);
    const both = new Promise<void>((resolve) => (heard = resolve));
    client.setPower(true);
    client.setPower(false);
    await both;
    expect(seen).toEqual([true, false]);
  });

  it('drains on quit: resolves after the core has closed, and refuses calls from then on', async () => {
    let closeIndex: () => void = () => undefined;
    let drainAsked: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (drainAsked = resolve));
    const control: CoreControl = {
      onPower: () => undefined,
      drain: () => (drainAsked(), new Promise<void>((resolve) => (closeIndex = resolve))),
    };
    const client = connect(Promise.resolve(echoApi()), control);
    await client.ready;
    let drained = false;
    const draining = client.drain().then(() => (drained = true));
    await asked;
    expect(await client.call('status', {})).toMatchObject({ ok: false, error: { code: 'OFFLINE' } });
    expect(drained).toBe(false);
    closeIndex();
    await draining;
    expect(drained).toBe(true);
  });

  it('resolves a drain at once when the core is already gone', async () => {
    const client = connect(new Promise<ServedApi>(() => undefined));
    client.close('The core process exited.');
    await expect(client.drain()).resolves.toBeUndefined();
  });
});
