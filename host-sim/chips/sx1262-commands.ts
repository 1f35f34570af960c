/**
 * The emulated SX1262's command decoder: for each opcode, how many parameter bytes it takes, what it
 * answers on MISO and what it does when NSS rises (DS §13). A frame is opcode + parameters; the chip
 * answers 0x00 on the opcode byte (RFU), its status on every byte after it (DS §8.3.1, §13.5.1), and,
 * for reads, the data after the status byte that follows the parameters.
 *
 * Outcomes go to the command status of the next status byte: an unknown opcode or too few parameters
 * is a "command processing error", a command the chip cannot run in its mode an "execution failure".
 */
import { BANDWIDTH_CODE, CommandStatus, DeviceError, Opcode, PacketType } from '../../hal/drivers/sx126x/commands.js';
import { BusyUs, type Sx1262Core } from './sx1262-core.js';

interface CommandSpec {
  /** Parameter bytes after the opcode (for reads: before the status byte that precedes the data). */
  readonly params: number;
  readonly busyUs: number;
  /** Runs the command; returns a command status when it fails. */
  readonly run?: (chip: Sx1262Core, p: Uint8Array) => number | void;
  /**
   * For reads: data byte `index` of the answer. `frame` is the frame so far, opcode first, so the
   * parameters start at frame[1]; read in place, since an answer is asked for every byte it sends.
   */
  readonly answer?: (chip: Sx1262Core, frame: ArrayLike<number>, index: number) => number;
}

const { Access, Config, ModeChange } = BusyUs;
const FAIL = CommandStatus.ExecutionFailure;
const VALID_BANDWIDTH_CODES = new Set(Object.values(BANDWIDTH_CODE));

const be16 = (p: ArrayLike<number>, at: number) => (p[at] << 8) | p[at + 1];
const be24 = (p: ArrayLike<number>, at: number) => (p[at] << 16) | (p[at + 1] << 8) | p[at + 2];

const inStandby = (chip: Sx1262Core) => chip.mode === 'standbyRc' || chip.mode === 'standbyXosc';

/** Modes that need the crystal and the PLL: they fail when the board's TCXO is left unpowered. */
function enterRadioMode(chip: Sx1262Core, start: () => void): number | void {
  if (chip.clockMissing) {
    chip.deviceErrors |= DeviceError.XoscStart | DeviceError.PllLock;
    return FAIL;
  }
  start();
}

function answerFrom(values: (chip: Sx1262Core) => readonly number[]): CommandSpec['answer'] {
  return (chip, _frame, index) => values(chip)[index] ?? 0;
}

const COMMANDS: Readonly<Record<number, CommandSpec>> = {
  [Opcode.SetSleep]: { params: 1, busyUs: 0, run: (chip, p) => (inStandby(chip) ? chip.sleep((p[0] & 0x04) !== 0) : FAIL) },
  [Opcode.SetStandby]: {
    params: 1, busyUs: ModeChange,
    run: (chip, p) => (p[0] === 1 && chip.clockMissing ? FAIL : chip.standby(p[0] === 1)),
  },
  [Opcode.SetFs]: { params: 0, busyUs: ModeChange, run: (chip) => enterRadioMode(chip, () => (chip.mode = 'fs')) },
  [Opcode.SetTx]: {
    params: 3, busyUs: ModeChange,
    run: (chip, p) => (chip.config.packetType !== PacketType.LoRa ? FAIL : enterRadioMode(chip, () => chip.transmit(be24(p, 0)))),
  },
  [Opcode.SetRx]: {
    params: 3, busyUs: ModeChange,
    run: (chip, p) => (chip.config.packetType !== PacketType.LoRa ? FAIL : enterRadioMode(chip, () => chip.receive(be24(p, 0)))),
  },
  [Opcode.SetCad]: { params: 0, busyUs: ModeChange, run: (chip) => enterRadioMode(chip, () => chip.detect()) },
  [Opcode.SetRegulatorMode]: { params: 1, busyUs: Config, run: (chip, p) => void (chip.config.regulatorMode = p[0]) },
  [Opcode.Calibrate]: { params: 1, busyUs: 0, run: (chip, p) => (chip.mode === 'standbyRc' ? chip.calibrate(p[0]) : FAIL) },
  [Opcode.CalibrateImage]: {
    params: 2, busyUs: BusyUs.Image,
    run: (chip, p) => {
      if (chip.mode !== 'standbyRc') return FAIL;
      if (chip.clockMissing) chip.deviceErrors |= DeviceError.XoscStart | DeviceError.ImgCalib;
      else chip.config.imageCalibration = [p[0], p[1]];
    },
  },
  [Opcode.SetPaConfig]: { params: 4, busyUs: Config, run: (chip, p) => void (chip.config.paConfig = [...p.subarray(0, 4)]) },
  [Opcode.SetRxTxFallbackMode]: { params: 1, busyUs: Config },
  [Opcode.WriteRegister]: {
    params: 3, busyUs: Access,
    run: (chip, p) => {
      const address = be16(p, 0);
      for (let i = 2; i < p.length; i++) chip.config.registers.set(address + i - 2, p[i]);
    },
  },
  [Opcode.ReadRegister]: { params: 2, busyUs: Access, answer: (chip, frame, i) => chip.config.registers.get(be16(frame, 1) + i) ?? 0 },
  [Opcode.WriteBuffer]: {
    params: 2, busyUs: Access,
    run: (chip, p) => {
      for (let i = 1; i < p.length; i++) chip.buffer[(p[0] + i - 1) & 0xff] = p[i];
    },
  },
  [Opcode.ReadBuffer]: { params: 1, busyUs: Access, answer: (chip, frame, i) => chip.buffer[(frame[1] + i) & 0xff] },
  [Opcode.SetDioIrqParams]: {
    params: 8, busyUs: Config,
    run: (chip, p) => {
      chip.config.irqMask = be16(p, 0);
      chip.config.dio1Mask = be16(p, 2);
      chip.updateDio1();
    },
  },
  [Opcode.GetIrqStatus]: { params: 0, busyUs: Access, answer: answerFrom((chip) => [chip.irqStatus >> 8, chip.irqStatus & 0xff]) },
  [Opcode.ClearIrqStatus]: { params: 2, busyUs: Access, run: (chip, p) => chip.clearIrq(be16(p, 0)) },
  [Opcode.SetDio2AsRfSwitchCtrl]: { params: 1, busyUs: Config, run: (chip, p) => void (chip.config.dio2RfSwitch = p[0] === 1) },
  [Opcode.SetDio3AsTcxoCtrl]: {
    params: 4, busyUs: Config,
    run: (chip, p) => void (chip.config.tcxo = { voltageCode: p[0] & 0x07, timeoutSteps: be24(p, 1) }),
  },
  [Opcode.SetRfFrequency]: { params: 4, busyUs: Config, run: (chip, p) => void (chip.config.frequencyWord = ((p[0] << 24) >>> 0) + be24(p, 1)) },
  [Opcode.SetPacketType]: {
    params: 1, busyUs: Config,
    run: (chip, p) => (inStandby(chip) ? void (chip.config.packetType = p[0]) : FAIL),
  },
  [Opcode.GetPacketType]: { params: 0, busyUs: Access, answer: answerFrom((chip) => [chip.config.packetType]) },
  [Opcode.SetTxParams]: {
    params: 2, busyUs: Config,
    run: (chip, p) => {
      chip.config.txPowerDbm = Math.min(22, Math.max(-9, (p[0] << 24) >> 24));
      chip.config.rampTime = p[1];
    },
  },
  [Opcode.SetModulationParams]: { params: 4, busyUs: Config, run: setModulation },
  [Opcode.SetPacketParams]: { params: 6, busyUs: Config, run: setPacket },
  [Opcode.SetCadParams]: { params: 7, busyUs: Config, run: (chip, p) => void (chip.config.cadParams = [...p.subarray(0, 7)]) },
  [Opcode.SetBufferBaseAddress]: {
    params: 2, busyUs: Config,
    run: (chip, p) => {
      chip.config.txBase = p[0];
      chip.config.rxBase = p[1];
    },
  },
  [Opcode.SetLoRaSymbNumTimeout]: { params: 1, busyUs: Config },
  [Opcode.GetStatus]: { params: 0, busyUs: Access },
  [Opcode.GetRssiInst]: { params: 0, busyUs: Access, answer: answerFrom((chip) => [chip.rssiInstByte()]) },
  [Opcode.GetRxBufferStatus]: { params: 0, busyUs: Access, answer: answerFrom((chip) => [chip.rxLength, chip.rxStart]) },
  [Opcode.GetPacketStatus]: { params: 0, busyUs: Access, answer: answerFrom((chip) => chip.packetStatus) },
  [Opcode.GetDeviceErrors]: {
    params: 0, busyUs: Access, answer: answerFrom((chip) => [chip.deviceErrors >> 8, chip.deviceErrors & 0xff]),
  },
  [Opcode.ClearDeviceErrors]: { params: 2, busyUs: Access, run: (chip) => void (chip.deviceErrors = 0) },
};

/** SetModulationParams for LoRa (DS §13.4.5): SF 5–12, a bandwidth code of the table, CR 1–4, LDRO. */
function setModulation(chip: Sx1262Core, p: Uint8Array): number | void {
  if (chip.config.packetType !== PacketType.LoRa) return; // GFSK parameters: not modelled
  if (p[0] < 5 || p[0] > 12 || !VALID_BANDWIDTH_CODES.has(p[1]) || p[2] < 1 || p[2] > 4) return FAIL;
  Object.assign(chip.config, { spreadingFactor: p[0], bandwidthCode: p[1], codingRate: p[2], ldro: p[3] & 1 });
}

/** SetPacketParams for LoRa (DS §13.4.6): preamble, header type, payload length, CRC, IQ. */
function setPacket(chip: Sx1262Core, p: Uint8Array): number | void {
  if (chip.config.packetType !== PacketType.LoRa) return;
  Object.assign(chip.config, {
    preambleLength: be16(p, 0), implicitHeader: p[2] === 1, payloadLength: p[3], crc: p[4] === 1, invertIq: p[5] === 1,
  });
}

/** The byte the chip puts on MISO at position `index` of a frame whose bytes so far are `frame`. */
export function misoByte(chip: Sx1262Core, frame: ArrayLike<number>, index: number): number {
  if (index === 0) return 0x00;
  const spec = COMMANDS[frame[0]];
  const dataStart = (spec?.params ?? 0) + 2;
  if (spec?.answer && index >= dataStart) return spec.answer(chip, frame, index - dataStart) & 0xff;
  return chip.status();
}

/** Runs a complete frame (NSS has risen). Returns the BUSY time it costs, µs. */
export function execute(chip: Sx1262Core, frame: Uint8Array): number {
  const spec = COMMANDS[frame[0]];
  if (spec === undefined || frame.length < 1 + spec.params) {
    chip.commandStatus = CommandStatus.ProcessingError;
    return Access;
  }
  const outcome = spec.run?.(chip, frame.subarray(1));
  chip.commandStatus = typeof outcome === 'number' ? outcome : CommandStatus.Ok;
  return spec.busyUs;
}

export function isKnownOpcode(opcode: number): boolean {
  return COMMANDS[opcode] !== undefined;
}
