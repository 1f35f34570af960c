/** Writes the three coverage outputs of one aggregate into a directory: GeoJSON, the page, the picture. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { coverageGeoJson } from './geojson.js';
import { renderCoverageHtml, type TileSource } from './html.js';
import type { CoverageAggregate } from './model.js';
import { renderCoveragePng } from './png.js';

export interface CoverageMapOptions {
  /** A tile layer for the page (the picture never has one). */
  readonly tiles?: TileSource;
  /** Title of the page and the picture (default "Coverage"). */
  readonly title?: string;
}

/** Absolute paths of the files written. */
export interface CoverageMapFiles {
  readonly geojson: string;
  readonly html: string;
  readonly png: string;
}

/**
 * Writes `coverage.geojson`, `coverage.html` and `coverage.png` into `outDir` (created if missing),
 * replacing files of those names. Everything is rendered before the first file is written, so bad
 * options (a tile URL that is not a template) leave the directory as it was.
 */
export function writeCoverageMap(outDir: string, aggregate: CoverageAggregate, options: CoverageMapOptions = {}): CoverageMapFiles {
  const geojson = `${JSON.stringify(coverageGeoJson(aggregate.cells))}\n`;
  const html = renderCoverageHtml(aggregate, options);
  const png = renderCoveragePng(aggregate.cells, { title: options.title });
  const dir = resolve(outDir);
  mkdirSync(dir, { recursive: true });
  const files = { geojson: join(dir, 'coverage.geojson'), html: join(dir, 'coverage.html'), png: join(dir, 'coverage.png') };
  writeFileSync(files.geojson, geojson);
  writeFileSync(files.html, html);
  writeFileSync(files.png, png);
  return files;
}
