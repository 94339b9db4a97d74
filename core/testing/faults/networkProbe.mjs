// Tries each kind of outbound connection once, so a test can check that noNetwork.mjs sees them all.
import dns from 'node:dns';
import http from 'node:http';
import net from 'node:net';

await fetch('https://registry.example.org/x').catch(() => undefined);
try {
  http.get('http://203.0.113.7/');
} catch {
  // blocked, as expected
}
await dns.promises.lookup('huggingface.co').catch(() => undefined);
await new Promise((resolve) => net.connect(443, '198.51.100.1').on('error', resolve));
await new Promise((resolve) => net.connect(1, '127.0.0.1').on('error', resolve));
console.log('probed');
