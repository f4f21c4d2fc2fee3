import { createServer } from 'node:net';

/** A TCP port that was free a moment ago, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port')),
      );
    });
  });
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
