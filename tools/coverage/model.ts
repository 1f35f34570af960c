/**
 * The coverage map's data: what a mapper walk gives us (uplinks the mapper says it sent, each with the
 * hearings the oracle joined to it) and what aggregation makes of it (one record per H3 cell walked).
 *
 * Positions are kept as the firmware sends them, integer degrees × 10^7 (`latE7`); signal values as
 * integer tenths (`rssiDdbm` is 0.1 dBm, `snrDdb` 0.1 dB). The aggregate is in plain units (degrees,
 * dBm, dB, metres, ms since 1970) because it is what maps and the oracle's API show.
 */

/** One hotspot's signed receipt of an uplink. */
export interface CoverageHearing {
  /** The hotspot's address. */
  readonly hotspot: string;
  /** Where the hotspot was (its asserted location when it heard the uplink), degrees × 10^7. */
  readonly latE7: number;
  readonly lonE7: number;
  /** Received signal strength, 0.1 dBm (−1105 is −110.5 dBm). */
  readonly rssiDdbm: number;
  /** Signal-to-noise ratio, 0.1 dB. */
  readonly snrDdb: number;
  /** When the hotspot heard it, ms since 1970. */
  readonly timeMs: number;
}

/** One uplink the mapper sent, with every hearing of it (none when no hotspot heard it). */
export interface CoverageUplink {
  /** The uplink's digest, hex: it names the uplink, so a second copy is a duplicate. */
  readonly digest: string;
  /** The mapper's address. */
  readonly mapper: string;
  /** The mapper's uplink counter. */
  readonly counter: number;
  /** The mapper's GPS position when it sent the uplink, degrees × 10^7. */
  readonly latE7: number;
  readonly lonE7: number;
  readonly altitudeM: number;
  /** Horizontal dilution of precision as the receiver reports it (1.3, not 13). */
  readonly hdop: number;
  /** Satellites used in the fix. */
  readonly satellites: number;
  /** When the mapper sent it, ms since 1970. */
  readonly timeMs: number;
  readonly heardBy: readonly CoverageHearing[];
}

/** 'heard': at least one hotspot heard an uplink sent in the cell; 'unheard': walked, none heard. */
export type CellState = 'heard' | 'unheard';

/** One hotspot that heard uplinks sent from a cell, described by its best hearing of them. */
export interface CellHotspot {
  readonly address: string;
  /** Where the hotspot was at its best hearing, degrees. */
  readonly lat: number;
  readonly lon: number;
  /** Its strongest RSSI of the cell's uplinks, dBm, and the SNR of that same hearing, dB. */
  readonly bestRssiDbm: number;
  readonly snrDb: number;
  /** Great-circle distance from the cell's centre to the hotspot, whole metres. */
  readonly distanceM: number;
  /** How many of the cell's uplinks it heard. */
  readonly uplinksHeard: number;
  /** Its latest hearing of the cell's uplinks, ms since 1970. */
  readonly lastHeardMs: number;
}

/** One H3 cell the mapper walked through. */
export interface CoverageCell {
  /** The H3 index, as h3-js writes it (15 hex digits). */
  readonly h3: string;
  readonly state: CellState;
  /** The cell's centre, degrees. */
  readonly lat: number;
  readonly lon: number;
  /** The strongest RSSI any hotspot had for any uplink from the cell, dBm; null when unheard. */
  readonly bestRssiDbm: number | null;
  /** The SNR of that same hearing, dB; null when unheard. */
  readonly snrDb: number | null;
  /** Distinct hotspots that heard the cell, strongest first (then by address). */
  readonly hotspots: readonly CellHotspot[];
  /** Uplinks sent from the cell that passed the filters, and how many of those any hotspot heard. */
  readonly uplinksSent: number;
  readonly uplinksHeard: number;
  /** The first and last uplink sent from the cell, ms since 1970. */
  readonly firstWalkedMs: number;
  readonly lastWalkedMs: number;
  /** The latest hearing of any of the cell's uplinks, ms since 1970; null when unheard. */
  readonly lastHeardMs: number | null;
}

/** A hotspot across the whole map: where to draw it and how much it heard. */
export interface CoverageHotspot {
  readonly address: string;
  /** Its location in the cell where it heard the mapper last, degrees. */
  readonly lat: number;
  readonly lon: number;
  /** Cells it heard, and its strongest RSSI in any of them, dBm. */
  readonly cellsHeard: number;
  readonly bestRssiDbm: number;
  readonly lastHeardMs: number;
}

/**
 * Why an uplink was left out. The GPS checks are TTN Mapper's (ttnmapper/ingress-api
 * `utils/data_validator.go`); an uplink is counted under the first reason that applies, in this order.
 */
export const UPLINK_DROP_REASONS = {
  duplicate: 'same digest as an earlier uplink',
  satellites: 'fewer than 4 satellites',
  hdop: 'HDOP above 5',
  zeroCoordinate: 'latitude or longitude exactly 0',
  latitude: 'latitude 89° or more from the equator',
  longitude: 'longitude beyond ±180°',
} as const;
export type UplinkDropReason = keyof typeof UPLINK_DROP_REASONS;

/**
 * Why a hearing of a kept uplink was left out, first reason first. The signal ranges are Helium Mappers'
 * (helium/mappers `ingest/validate.ex`); the distance cap is TTN Mapper's, stricter than Helium's 500 km.
 */
export const HEARING_DROP_REASONS = {
  noLocation: 'hotspot latitude or longitude exactly 0 or out of range',
  signal: 'RSSI outside −141…0 dBm or SNR outside −40…40 dB',
  tooFar: 'hotspot more than 200 km from the uplink',
} as const;
export type HearingDropReason = keyof typeof HEARING_DROP_REASONS;

/** What aggregation made of the input, with every uplink and hearing accounted for. */
export interface CoverageAggregate {
  /** The H3 resolution of the cells. */
  readonly res: number;
  /** The time window applied to uplinks' send times: `sinceMs <= timeMs < untilMs`, null for open. */
  readonly sinceMs: number | null;
  readonly untilMs: number | null;
  /** Cells, sorted by H3 index. */
  readonly cells: readonly CoverageCell[];
  /** Every hotspot in `cells`, sorted by address. */
  readonly hotspots: readonly CoverageHotspot[];
  readonly uplinks: {
    /** All uplinks given: used + outsideWindow + the sum of dropped. */
    readonly total: number;
    readonly used: number;
    readonly outsideWindow: number;
    readonly dropped: Readonly<Record<UplinkDropReason, number>>;
  };
  /** Hearings of used uplinks only (a dropped uplink's hearings are not counted): used + dropped. */
  readonly hearings: {
    readonly total: number;
    readonly used: number;
    readonly dropped: Readonly<Record<HearingDropReason, number>>;
  };
}
