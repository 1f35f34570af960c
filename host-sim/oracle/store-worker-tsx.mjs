// Entry of the simulated oracle's database thread when covey runs from its TypeScript sources (tsx,
// jest): registers tsx's loader in this thread, then loads the worker itself.
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import(new URL('./store-worker.ts', import.meta.url).href);
