/**
 * Where `covey map` gets its uplinks: an oracle's database (the uplinks mappers reported, with the
 * receipts hotspots made for them) or a simulator report of a run with a walk (`covey sim --walk`, whose
 * result holds the same records). Both give CoverageUplink records, checked as `--input` files are.
 */
import { readFileSync } from 'node:fs';
import { SqliteStore } from '../oracle/store/sqlite-store.js';
import { CoverageInputError, parseCoverageUplinks } from './input.js';
import type { CoverageUplink } from './model.js';

/** Every uplink an oracle database holds, opened read-only (an oracle may be running on it). */
export async function loadCoverageFromDb(path: string): Promise<CoverageUplink[]> {
  const store = SqliteStore.open(path, { readonly: true });
  try {
    return (await store.coverageUplinks()).uplinks;
  } finally {
    await store.close();
  }
}

/** The walk of a `covey sim --json` report. */
export async function loadCoverageFromReport(path: string): Promise<CoverageUplink[]> {
  const report = JSON.parse(readFileSync(path, 'utf8')) as { result?: { walk?: { coverage?: unknown } } };
  if (typeof report !== 'object' || report === null || typeof report.result !== 'object' || report.result === null) {
    throw new CoverageInputError('(top level)', 'is not a covey sim report (no "result")');
  }
  const walk = report.result.walk;
  if (walk === undefined) throw new CoverageInputError('result', 'this run had no walk: run covey sim with --walk <gpx>');
  return parseCoverageUplinks(walk.coverage);
}
