/** Boards → drivers → emulated chips: every board's radio opens, and the two chip families talk to each other. */
import { boards, boardById } from '../../hal/boards/index.js';
import type { Board } from '../../hal/boards/types.js';
import { openRadio } from '../../hal/drivers/open-radio.js';
import { pocAirtimeMs, pocSettings, regionPlan } from '../../hal/radio/regions.js';
import { noiseFloorDbm } from '../../host-sim/air/air.js';
import { TestAir } from '../../host-sim/air/test-air.js';
import { emulateBoardRadio } from '../../host-sim/chips/board-radio.js';
import { VirtualClock } from '../../host-sim/kernel/virtual-clock.js';
import { BEACON_FRAME_BYTES } from '../../proofs/beacon.js';
import type { Radio, RadioPacket } from '../../src/ports.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function world() {
  const clock = new VirtualClock();
  const air = new TestAir(clock);
  const errors: Error[] = [];
  const open = (board: Board, name: string): Radio => {
    const { io } = emulateBoardRadio(board, { air, clock, name });
    return openRadio(board, io, { clock, onError: (error) => errors.push(error) });
  };
  return { clock, air, errors, open };
}

const frame = Uint8Array.from({ length: BEACON_FRAME_BYTES }, (_, i) => (i * 37 + 11) & 0xff);

describe('openRadio', () => {
  test.each(boards.map((board) => [board.id, board] as const))('opens the radio of %s on its emulated chip', (_, board) => {
    const { open } = world();
    const radio = open(board, 'node');
    expect(radio.chip.toLowerCase()).toContain(board.radio.family === 'sx127x' ? 'sx127' : 'sx126');
    radio.close();
  });

  test.each([
    ['heltec_v2', 'heltec_v3', 'EU868'],
    ['heltec_v3', 'tbeam_v1', 'US915'],
    ['t3s3', 'heltec_v2', 'AS923_1'],
  ])('%s beacons to %s on the %s PoC channel across chip families', async (fromId, toId, regionId) => {
    const { clock, air, errors, open } = world();
    const region = regionPlan(regionId);
    const power = Math.min(14, region.poc.maxConductedDbm);
    const settings = pocSettings(region, power);
    const sender = open(boardById(fromId), 'sender');
    const receiver = open(boardById(toId), 'receiver');
    sender.configure(settings);
    receiver.configure(settings);
    air.setLoss('sender', 'receiver', 130);
    const heard: RadioPacket[] = [];
    receiver.receive((packet) => heard.push(packet));
    await settle();

    const sent = sender.transmit(frame);
    for (let t = 0; t < pocAirtimeMs(region) + 100; t += 50) {
      clock.advance(50);
      await settle();
    }
    await sent;

    expect(heard).toHaveLength(1);
    expect(heard[0].crcOk).toBe(true);
    expect(Array.from(heard[0].payload)).toEqual(Array.from(frame));
    // Power − 130 dB; the chips report RSSI in 1 dB (SX127x) or 0.5 dB (SX126x) steps.
    const rssi = power - 130;
    expect(Math.abs(heard[0].rssiDbm - rssi)).toBeLessThanOrEqual(1);
    const snr = rssi - noiseFloorDbm(settings.bandwidthHz);
    expect(Math.abs(heard[0].snrDb - snr)).toBeLessThanOrEqual(0.5);
    expect(errors).toEqual([]);
    sender.close();
    receiver.close();
  });
});
