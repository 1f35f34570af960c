/** "sntp" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';
import type { FakeSntpClass } from '../fake-network.js';

const SNTP = function SNTP(options: { host: string }, callback: (message: number, value?: number) => void): object {
  return new (currentWorld('new SNTP').SNTP)(options, callback);
} as unknown as FakeSntpClass;

export default SNTP;
