import '@endo/init/pre-remoting.js';
import { xsnap } from '@agoric/xsnap';
import * as fs from 'node:fs';
import os from 'node:os';
import { spawn } from 'node:child_process';
import tmp from 'tmp';

test('trial', async () => {
  const vat = await xsnap({ os: os.type(), spawn, fs: { ...fs, ...fs.promises, tmpName: tmp.tmpName }, name: 'trial' });
  try {
    const m = await vat.evaluate('gc()');
    expect(m.meterUsage.currentHeapCount).toBeGreaterThan(0);
  } finally { await vat.close(); }
});
