/** Reads the published and golden vectors in tests/vectors/. */
import { readFileSync } from 'node:fs';

export function readVectors<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T;
}
