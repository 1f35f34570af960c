/** "http" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';
import type { FakeRequestInstance } from '../fake-network.js';

export const Request = function Request(options: never): FakeRequestInstance {
  return new (currentWorld('new Request').Request)(options);
} as unknown as new (options: never) => FakeRequestInstance;
