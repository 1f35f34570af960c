/**
 * What a replayed walk came to: the mapper's own counters, the track's length, and every uplink the oracle
 * holds from it with the hotspots that heard each, exactly as `covey map --report` reads them. Everything
 * here follows from the scenario, the seed and the track, so it belongs in the deterministic `result`.
 */
import { greatCircleDistance } from 'h3-js';
import { hotspotAddress } from '../../proofs/index.js';
import type { WalkResult } from '../report/model.js';
import type { SimWorld } from '../sim/world.js';
import type { Track } from './gpx.js';
import { WALK_DEFAULTS } from './walker.js';

export async function walkResult(world: SimWorld): Promise<WalkResult | undefined> {
  const walker = world.walker;
  if (walker === undefined) return undefined;
  const { track } = walker.settings;
  const key = walker.node.boots[0]?.publicKey;
  const mapper = key === undefined ? undefined : hotspotAddress(key);
  const { uplinks } = await world.store.coverageUplinks();
  const coverage = uplinks.filter((uplink) => uplink.mapper === mapper);
  const sent = { sent: 0, skippedNoFix: 0, refusedDutyCycle: 0, refusedBusy: 0, refusedRadio: 0 };
  for (const boot of walker.node.boots) {
    const stats = boot.status().mapper;
    if (stats === undefined) continue;
    sent.sent += stats.sent;
    sent.skippedNoFix += stats.skippedNoFix;
    sent.refusedDutyCycle += stats.refusedDutyCycle;
    sent.refusedBusy += stats.refusedBusy;
    sent.refusedRadio += stats.refusedRadio;
  }
  const startAfterMs = walker.settings.startAfterMs ?? WALK_DEFAULTS.startAfterMs;
  return {
    source: walker.settings.source,
    track: track.name ?? null,
    mapper: mapper ?? null,
    startTime: new Date(world.scenario.startMs + startAfterMs).toISOString(),
    durationS: (track.points[track.points.length - 1].timeMs - track.points[0].timeMs) / 1000,
    distanceM: Math.round(trackLengthM(track)),
    uplinks: {
      ...sent,
      atOracle: coverage.length,
      heard: coverage.filter((uplink) => uplink.heardBy.length > 0).length,
      hearings: coverage.reduce((sum, uplink) => sum + uplink.heardBy.length, 0),
    },
    coverage,
  };
}

/** Along the track, segment by segment (a gap between segments is not walked as far as anyone knows). */
export function trackLengthM(track: Track): number {
  let total = 0;
  const { points } = track;
  for (let i = 1; i < points.length; i++) {
    if (points[i].segment !== points[i - 1].segment) continue;
    total += greatCircleDistance([points[i - 1].lat, points[i - 1].lon], [points[i].lat, points[i].lon], 'm');
  }
  return total;
}
