/**
 * What power a scenario's hotspot transmits at, decided the way the firmware decides it: the setting,
 * or by default the most the region allows on its PoC channel with that antenna (src/poc-channel.ts),
 * then the most the board's chip takes at or below that (tuneRadio, with the driver's own checks).
 */
import { boardById, type Board } from '../../hal/boards/index.js';
import { validateSettings } from '../../hal/drivers/sx127x/settings.js';
import { DEFAULT_SETTINGS, mergeSettings, type Sx126xVariant } from '../../hal/drivers/sx126x/settings.js';
import { regionPlan, subBandOf } from '../../hal/radio/regions.js';
import { MIN_TX_POWER_DBM, pocChannelOf, tuneRadio } from '../../src/poc-channel.js';
import type { LoRaSettings, Radio } from '../../src/ports.js';

/** The board's hardware version for the region's PoC channel, or a message saying there is none. */
function variantFor(board: Board, frequencyHz: number): Board['variants'][number] | string {
  const variant = board.variants.find((v) => frequencyHz >= v.minHz && frequencyHz <= v.maxHz);
  if (variant !== undefined) return variant;
  const sold = board.variants.map((v) => v.label).join(', ');
  return `${board.id} is not made for ${frequencyHz / 1e6} MHz (versions: ${sold} MHz)`;
}

/** The board's chip as tuneRadio sees it: `configure` throws for settings the driver would refuse. */
function chipOf(board: Board, variant: Board['variants'][number]): Pick<Radio, 'configure'> {
  const radio = board.radio;
  if (radio.family === 'sx127x') return { configure: (s: LoRaSettings) => void validateSettings(s, radio.paBoost) };
  return { configure: (s: LoRaSettings) => void mergeSettings(DEFAULT_SETTINGS, s, variant.chip as Sx126xVariant) };
}

export interface TxPowerResult {
  /** The power the hotspot transmits at, dBm; absent when there is a problem. */
  readonly txPowerDbm?: number;
  readonly problem?: string;
}

/**
 * The power a hotspot with this board and antenna transmits at in `regionId`: `requested` if the region
 * and the chip allow it, the most both allow if `requested` is absent, else a one-line problem.
 */
export function txPowerFor(regionId: string, boardId: string, antennaGainDbi: number, requested?: number): TxPowerResult {
  const board = boardById(boardId);
  const region = regionPlan(regionId);
  const variant = variantFor(board, region.poc.frequencyHz);
  if (typeof variant === 'string') return { problem: variant };
  const channel = pocChannelOf({ region: region.id, antennaGainDbi });
  const limit = channel.maxTxPowerDbm;
  if (requested !== undefined && requested > limit) {
    return {
      problem: `${requested} dBm is above ${region.id}'s limit on its PoC channel with a ${antennaGainDbi} dBi antenna: ` +
        `at most ${limit} dBm conducted (${subBandOf(region, region.poc.frequencyHz, region.poc.bandwidthHz).maxEirpDbm} dBm EIRP)`,
    };
  }
  if (requested !== undefined && requested < MIN_TX_POWER_DBM) {
    return { problem: `${requested} dBm is below the ${MIN_TX_POWER_DBM} dBm any supported chip can go down to` };
  }
  const chip = chipOf(board, variant);
  if (requested === undefined) {
    try {
      return { txPowerDbm: tuneRadio(chip, channel.settings) };
    } catch (error) {
      return { problem: `${board.id} (${variant.chip}) cannot transmit at or below ${limit} dBm: ${(error as Error).message}` };
    }
  }
  try {
    chip.configure({ ...channel.settings, txPowerDbm: requested });
    return { txPowerDbm: requested };
  } catch (error) {
    return { problem: `${board.id} (${variant.chip}) cannot transmit at ${requested} dBm: ${(error as Error).message}` };
  }
}
