import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { RoomHost } from './room-host.js';

const base = {
  udpPort: 10_000,
  bindAddress: '127.0.0.1',
  heartbeatTimeoutMs: 3_000,
  logger: pino({ level: 'silent' }),
};

describe('RoomHost options', () => {
  it('refuses snapshot rates that cannot go on the wire, before starting a worker', async () => {
    await expect(RoomHost.start({ ...base, snapshotRate: 0 })).rejects.toThrow(RangeError);
    await expect(RoomHost.start({ ...base, snapshotRate: 61 })).rejects.toThrow(RangeError);
    await expect(RoomHost.start({ ...base, snapshotRate: 2.5 })).rejects.toThrow(RangeError);
  });
});
