/** "flash" in the XS tier: forwards to the installed fake world (../world.ts). */
import { currentWorld } from '../world.js';
import type { FakeFlashPartition } from '../fake-storage.js';

// A function called with `new` that returns an object yields that object: the world's partition.
const Flash = function Flash(label: string): FakeFlashPartition {
  return new (currentWorld('new Flash').Flash)(label);
} as unknown as new (label: string) => FakeFlashPartition;

export default Flash;
