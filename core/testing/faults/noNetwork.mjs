// Preload (`node --import`) that records and blocks every attempt to reach another machine: TCP and
// TLS connects, DNS lookups, http(s) requests, fetch and UDP sends. Loopback and local sockets pass.
// Attempts are appended to the file named by DRIFTLESS_NETWORK_LOG, one JSON line each.
import { appendFileSync } from 'node:fs';
import dgram from 'node:dgram';
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';

const LOG = process.env.DRIFTLESS_NETWORK_LOG;
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\]|0:0:0:0:0:0:0:1)$/i;

function isLocal(host) {
  return host === undefined || host === null || host === '' || LOOPBACK.test(String(host));
}

function blocked(kind, target) {
  if (LOG) appendFileSync(LOG, JSON.stringify({ kind, target: String(target), pid: process.pid }) + '\n');
  const error = new Error(`Network access blocked in tests: ${kind} ${target}`);
  error.code = 'ENETUNREACH';
  return error;
}

/** The host a connect/request call names, from its (options | port, host | url) arguments. */
function hostOf(args) {
  const [first, second] = args;
  if (Array.isArray(first)) return hostOf(first);
  if (typeof first === 'string' && /^[a-z]+:/i.test(first)) return new URL(first).hostname;
  if (first instanceof URL) return first.hostname;
  if (first && typeof first === 'object') {
    if (first.path && !first.host && !first.hostname && !first.port) return 'localhost'; // unix socket
    return first.hostname ?? first.host ?? 'localhost';
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return 'localhost'; // unix socket path
  return typeof second === 'string' ? second : 'localhost';
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const host = hostOf(args);
  if (!isLocal(host)) {
    const error = blocked('tcp', host);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};

const tlsConnect = tls.connect;
tls.connect = function (...args) {
  const host = hostOf(args);
  if (!isLocal(host)) throw blocked('tls', host);
  return tlsConnect.apply(this, args);
};

for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveTxt', 'resolveSrv']) {
  const original = dns[name];
  dns[name] = function (host, ...rest) {
    if (isLocal(host)) return original.call(this, host, ...rest);
    const callback = rest.find((arg) => typeof arg === 'function');
    const error = blocked('dns', host);
    if (callback) process.nextTick(() => callback(error));
    else throw error;
  };
  const promised = dns.promises[name];
  if (promised)
    dns.promises[name] = async (host, ...rest) => {
      if (isLocal(host)) return promised(host, ...rest);
      throw blocked('dns', host);
    };
}

for (const [scheme, module] of [
  ['http', http],
  ['https', https],
]) {
  for (const name of ['request', 'get']) {
    const original = module[name];
    module[name] = function (...args) {
      const host = hostOf(args);
      if (!isLocal(host)) throw blocked(scheme, host);
      return original.apply(this, args);
    };
  }
}

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (!isLocal(url.hostname)) throw blocked('fetch', url.hostname);
  return originalFetch(input, init);
};

const send = dgram.Socket.prototype.send;
dgram.Socket.prototype.send = function (...args) {
  const host = args.find((arg, i) => i > 0 && typeof arg === 'string');
  if (!isLocal(host)) throw blocked('udp', host);
  return send.apply(this, args);
};
