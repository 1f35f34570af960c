/**
 * The settings `covey provision` gives a device: built from the command line (and an optional file of
 * further fields), checked against the board and the region with messages that name the option to
 * change, then checked again by the firmware's own parseSettings (src/settings.ts), so that what is
 * written is exactly what the device will accept at boot.
 */
import { boardById, boardIds, UnknownBoardError, type Board } from '../../hal/boards/index.js';
import { assertTxPower, REGION_IDS, regionPlan, subBandOf, type RegionPlan } from '../../hal/radio/regions.js';
import { KEY_VALUE_LIMITS } from '../../src/ports.js';
import { parseSettings, ROLES, SettingsError, utf8Length, type Role, type Settings } from '../../src/settings.js';
import { settingsToJson } from '../../src/settings-store.js';

/** A setting the device would refuse or a combination this board or region cannot use; one line. */
export class ProvisionError extends Error {
  override get name(): string {
    return 'ProvisionError';
  }
}

export interface SettingsInput {
  readonly board: string;
  readonly region: string;
  readonly oracleUrl: string;
  /** 32 bytes, already pinned (oracle-key.ts). */
  readonly oraclePublicKey: Uint8Array;
  readonly wifi?: { readonly ssid: string; readonly password: string };
  readonly location?: { readonly lat: number; readonly lon: number };
  readonly antennaGainDbi?: number;
  readonly role?: string;
  /** More settings fields (a --settings file); the fields above win over these. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface BuiltSettings {
  readonly board: Board;
  readonly region: RegionPlan;
  readonly settings: Settings;
  /** What the device stores under `settings`: holds the Wi-Fi password, never print it. */
  readonly json: string;
}

function boardOf(id: string): Board {
  try {
    return boardById(id);
  } catch (error) {
    if (error instanceof UnknownBoardError) throw new ProvisionError(`unknown board "${id}" (known: ${boardIds.join(', ')})`);
    throw error;
  }
}

function regionOf(id: string): RegionPlan {
  try {
    return regionPlan(id);
  } catch {
    throw new ProvisionError(`unknown region "${id}" (known: ${REGION_IDS.join(', ')})`);
  }
}

const mhz = (hz: number) => `${hz / 1e6} MHz`;

/** The checks parseSettings also makes, said in terms of the board, the region and the options. */
function checkRadio(board: Board, region: RegionPlan, fields: Readonly<Record<string, unknown>>): void {
  const override = (fields.pocChannel ?? {}) as Record<string, unknown>;
  const frequencyHz = typeof override.frequencyHz === 'number' ? override.frequencyHz : region.poc.frequencyHz;
  const bandwidthHz = typeof override.bandwidthHz === 'number' ? override.bandwidthHz : region.poc.bandwidthHz;
  try {
    subBandOf(region, frequencyHz, bandwidthHz);
  } catch (error) {
    throw new ProvisionError(`PoC frequency ${mhz(frequencyHz)} is outside ${region.id}: ${(error as Error).message}`);
  }
  if (!board.variants.some((v) => frequencyHz >= v.minHz && frequencyHz <= v.maxHz)) {
    const ranges = board.variants.map((v) => `${v.label}: ${mhz(v.minHz)}–${mhz(v.maxHz)}`).join(', ');
    throw new ProvisionError(`${board.id} cannot tune ${mhz(frequencyHz)} for ${region.id} (its radio versions: ${ranges})`);
  }
  const gain = typeof fields.antennaGainDbi === 'number' ? fields.antennaGainDbi : undefined;
  if (typeof fields.txPowerDbm === 'number') {
    try {
      assertTxPower(region, frequencyHz, bandwidthHz, fields.txPowerDbm, gain);
    } catch (error) {
      throw new ProvisionError(`transmit power: ${(error as Error).message} (EIRP limit minus the antenna gain)`);
    }
  }
}

function checkRole(board: Board, role: unknown): void {
  if (role === 'mapper' && board.gps === undefined) {
    const withGps = boardIds.filter((id) => boardById(id).gps !== undefined);
    throw new ProvisionError(`the mapper role needs a GPS and ${board.id} has none (boards with GPS: ${withGps.join(', ')})`);
  }
}

/** Builds and checks the settings; a ProvisionError with one line for anything the device would refuse. */
export function buildSettings(input: SettingsInput): BuiltSettings {
  const board = boardOf(input.board);
  const region = regionOf(input.region);
  if (input.role !== undefined && !(ROLES as readonly string[]).includes(input.role)) {
    throw new ProvisionError(`--role: "${input.role}" is not one of ${ROLES.join(', ')}`);
  }
  const fields: Record<string, unknown> = { ...(input.extra ?? {}) };
  fields.region = region.id;
  fields.oracleUrl = input.oracleUrl;
  fields.oraclePublicKey = input.oraclePublicKey;
  if (input.wifi !== undefined) fields.wifi = { ...input.wifi };
  if (input.location !== undefined) fields.location = { ...input.location };
  if (input.antennaGainDbi !== undefined) fields.antennaGainDbi = input.antennaGainDbi;
  if (input.role !== undefined) fields.role = input.role as Role;
  checkRole(board, fields.role);
  checkRadio(board, region, fields);
  let settings: Settings;
  try {
    settings = parseSettings(fields);
  } catch (error) {
    if (error instanceof SettingsError) throw new ProvisionError(`invalid settings: ${error.problems.join('; ')}`);
    throw error;
  }
  const json = settingsToJson(settings);
  const bytes = utf8Length(json);
  if (bytes > KEY_VALUE_LIMITS.valueBytes - 1) {
    throw new ProvisionError(`the settings are ${bytes} bytes of JSON; the device stores at most ${KEY_VALUE_LIMITS.valueBytes - 1}`);
  }
  return { board, region, settings, json };
}
