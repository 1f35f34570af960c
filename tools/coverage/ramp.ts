/**
 * The colours of the coverage map, shared by the page (html.ts, which passes these values to its
 * script) and the picture (png.ts), so both read the same.
 *
 * Heard cells use Helium Mappers' ramp (assets/js of helium/mappers): one teal whose opacity grows
 * with the best RSSI, 0.1 at −120 dBm to 0.8 at −80 dBm, linear between and clamped outside. A faint
 * cell keeps a visible outline. Walked-but-unheard cells are red hatching on grey, unlike any heard one.
 */

export const RSSI_RAMP = {
  /** The weakest and strongest RSSI of the ramp, dBm. */
  weakDbm: -120,
  strongDbm: -80,
  /** Fill opacity at those two ends. */
  weakAlpha: 0.1,
  strongAlpha: 0.8,
  /** The teal of heard cells, and of their outlines. */
  colour: '#009688',
  outlineAlpha: 0.9,
} as const;

export const UNHEARD_STYLE = {
  /** Background of the hatching, its stripes, and the outline. */
  fill: '#d9d9d9',
  hatch: '#c0392b',
  outline: '#c0392b',
  fillAlpha: 0.6,
} as const;

export const HOTSPOT_STYLE = { fill: '#263238', stroke: '#ffffff', radiusPx: 5 } as const;

/** Fill opacity for a best RSSI (dBm), on the ramp above. */
export function rssiAlpha(rssiDbm: number): number {
  const { weakDbm, strongDbm, weakAlpha, strongAlpha } = RSSI_RAMP;
  const t = Math.min(1, Math.max(0, (rssiDbm - weakDbm) / (strongDbm - weakDbm)));
  return Math.round((weakAlpha + t * (strongAlpha - weakAlpha)) * 1000) / 1000;
}
