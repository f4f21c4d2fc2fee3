import { createServer } from 'node:net';

// Below Linux's ephemeral range (32768–60999), where the kernel also puts every outgoing
// connection's local port: a port taken from there can be grabbed by some client socket between
// the check and the server's bind. Random picks here collide only with another picker.
const LOW = 15_000;
const HIGH = 32_000;

/** A port that was free a moment ago, chosen at random below the ephemeral range. */
export async function freePort(kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await bindable(port, kind)) return port;
  }
  throw new Error(`no free ${kind.toUpperCase()} port between ${LOW} and ${HIGH}`);
}

async function bindable(port: number, kind: 'tcp' | 'udp'): Promise<boolean> {
  if (kind === 'udp') {
    const { createSocket } = await import('node:dgram');
    const socket = createSocket('udp4');
    return new Promise((resolve) => {
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
  }
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * The first of `count` consecutive ports that were all free a moment ago (a cluster's process i
 * listens on BASE + i), TCP or UDP.
 */
export async function freePortRange(count: number, kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = await freePort();
    if (base + count > 65535) continue;
    let all = true;
    for (let i = 0; i < count && all; i++) all = await bindable(base + i, kind);
    if (all) return base;
  }
  throw new Error(`no ${count} consecutive free ${kind} ports`);
}
