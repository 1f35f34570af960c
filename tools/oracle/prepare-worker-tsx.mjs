// Entry of a prepare-pool worker when covey runs from its TypeScript sources (tsx, jest): registers
// tsx's loader in this thread, then loads the worker itself.
import { URL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
await import(new URL('./prepare-worker.ts', import.meta.url).href);
