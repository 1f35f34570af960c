/**
 * The scenarios a name alone loads: `city` (the default), `rural`, `grid` and `lorasim`. Each is also
 * shipped as host-sim/scenario/examples/<name>.json, identical but for its `$schema` line (a test holds
 * them together), to copy and change.
 */
import type { ScenarioFile } from './schema.js';

/** A city centre to hang the layout on; the streets, parks and river are the layout's, not the real city's. */
const CITY_CENTRE = { lat: 52.3676, lon: 4.9041 };
const RURAL_CENTRE = { lat: 53.05, lon: 5.75 };

const city: ScenarioFile = {
  name: 'city',
  description:
    '100 hotspots over 5 × 5 km of a city, at windows and on roofs along its streets, for a day. One hotspot ' +
    'loses power for two hours and the oracle stops taking uploads for half an hour: what every network lives with.',
  region: 'EU868',
  seed: 1,
  durationHours: 24,
  startTime: '2026-01-05T00:00:00Z',
  // 40 dB of clutter and building loss on every link: ITU-R P.2108's statistical clutter loss for
  // terrestrial paths has a median of about 23 dB at 868 MHz for each end in urban clutter, some 46 dB
  // with both ends in it; a little less since some hotspots are on roofs. Without it Oulu's law (from a
  // mast) carries SF12 some 36 km and every hotspot of the city hears every other; with it the median
  // beacon has about 10 witnesses beyond the oracle's minimum distance (docs/simulator.md).
  air: { model: 'oulu', shadowingSigmaDb: 7.8, captureDb: 6, collisions: 'full', clutterLossDb: 40 },
  area: { layout: 'city', centre: CITY_CENTRE, widthKm: 5, heightKm: 5, nodes: 100 },
  ingest: 'http',
  faults: [
    { type: 'power-cut', node: 'city-017', atHours: 6, forHours: 2 },
    { type: 'ingest-outage', atHours: 13, forHours: 0.5 },
  ],
};

const rural: ScenarioFile = {
  name: 'rural',
  description: '40 hotspots over 30 × 30 km of countryside, mostly in villages, on masts of 15–40 m, for a day.',
  region: 'EU868',
  seed: 1,
  durationHours: 24,
  air: { model: 'oulu' },
  area: { layout: 'rural', centre: RURAL_CENTRE, widthKm: 30, heightKm: 30, nodes: 40 },
};

const grid: ScenarioFile = {
  name: 'grid',
  description: '25 identical hotspots 500 m apart on a square grid, no shadowing, for six hours: for tests.',
  region: 'EU868',
  seed: 1,
  durationHours: 6,
  air: { model: 'oulu', shadowingSigmaDb: 0 },
  area: { layout: 'grid', centre: CITY_CENTRE, nodes: 25, spacingM: 500 },
  ingest: 'in-process',
};

const lorasim: ScenarioFile = {
  name: 'lorasim',
  description:
    "LoRaSim's own experiment 4 (LoRaWAN's SF12, CR 4/5, as covey's EU868 channel) with 100 nodes for a day, " +
    'to compare the air with LoRaSim (radio.md §3).',
  region: 'EU868',
  seed: 1,
  air: { model: 'lorasim', captureDb: 6, collisions: 'full' },
  lorasim: { experiment: 4, nodes: 100, avgSendMs: 1_000_000, simtimeMs: 86_400_000 },
};

export const BUILT_IN_SCENARIOS: Readonly<Record<string, ScenarioFile>> = { city, rural, grid, lorasim };

/** The scenario a run without one uses. */
export const DEFAULT_SCENARIO = 'city';
