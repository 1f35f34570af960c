/**
 * The SX1262 emulator on its own, driven through its ECMA-419 SPI and Digital objects by hand: NSS
 * framing, the status byte, BUSY, sleep and wake-up, the buffer, DIO1 interrupts, wiring checks.
 */
import { CommandStatus, Irq, Opcode } from '../../hal/drivers/sx126x/commands.js';
import { Sx1262 } from '../../host-sim/chips/sx1262.js';
import { BusyUs } from '../../host-sim/chips/sx1262-core.js';
import { testbed, TEST_PINS } from '../support/sx126x.js';

const OUTPUT = 8;
const INPUT = 0;
const RISING = 1;

function raw(onDio1?: () => void, commandLogLength?: number) {
  const { air, clock } = testbed();
  const chip = new Sx1262({ air, clock, name: 'raw', pins: TEST_PINS, commandLogLength });
  const nss = new chip.Digital({ pin: TEST_PINS.nss, mode: OUTPUT });
  nss.write(1);
  const busy = new chip.Digital({ pin: TEST_PINS.busy, mode: INPUT });
  const dio1 = new chip.Digital({ pin: TEST_PINS.dio1, mode: INPUT, ...(onDio1 ? { edge: RISING, onReadable: onDio1 } : {}) });
  const spi = new chip.SPI({ clock: TEST_PINS.sck, in: TEST_PINS.miso, out: TEST_PINS.mosi, hz: 8_000_000 });
  /** Polls BUSY low (counting polls), then sends one frame; returns MISO. */
  const send = (...frame: number[]) => {
    let polls = 0;
    while (busy.read() === 1 && polls < 100_000) polls++;
    const bytes = Uint8Array.from(frame);
    nss.write(0);
    spi.transfer(bytes);
    nss.write(1);
    return { bytes: [...bytes], polls };
  };
  /** Sends a frame without waiting for BUSY. */
  const blurt = (...frame: number[]) => {
    nss.write(0);
    spi.transfer(Uint8Array.from(frame));
    nss.write(1);
  };
  return { chip, clock, nss, busy, dio1, spi, send, blurt };
}

describe('framing and status', () => {
  test('the opcode byte reads 0x00 and every later byte the status: STDBY_RC, command OK (0x22)', () => {
    const { send } = raw();
    expect(send(Opcode.GetStatus, 0).bytes).toEqual([0x00, 0x22]);
    expect(send(Opcode.SetStandby, 0).bytes).toEqual([0x00, 0x22]);
  });

  test('an unknown opcode shows as a command processing error in the next status byte', () => {
    const { send } = raw();
    send(0x55, 0);
    expect((send(Opcode.GetStatus, 0).bytes[1] >> 1) & 7).toBe(CommandStatus.ProcessingError);
  });

  test('too few parameters are a command processing error too', () => {
    const { send, chip } = raw();
    send(Opcode.SetRfFrequency, 0x36, 0x41);
    expect((send(Opcode.GetStatus, 0).bytes[1] >> 1) & 7).toBe(CommandStatus.ProcessingError);
    expect(chip.config.frequencyWord).toBe(0);
  });

  test('a command sent while BUSY is high is recorded and ignored', () => {
    const { chip, blurt } = raw();
    blurt(Opcode.SetPacketType, 1);
    expect(chip.violations).toEqual([expect.stringMatching(/0x8a sent while BUSY was high/)]);
    expect(chip.config.packetType).toBe(0);
  });

  test('a transfer with NSS high is recorded and reads 0xFF', () => {
    const { chip, spi } = raw();
    const bytes = Uint8Array.of(Opcode.GetStatus, 0);
    spi.transfer(bytes);
    expect([...bytes]).toEqual([0xff, 0xff]);
    expect(chip.violations).toEqual([expect.stringMatching(/NSS high/)]);
  });
});

describe('BUSY', () => {
  test('after power-on it stays high for the modelled start-up polls', () => {
    const { send } = raw();
    expect(send(Opcode.GetStatus, 0).polls).toBe(BusyUs.Startup);
  });

  test('or until the virtual clock passes the start-up time, with no polls at all', () => {
    const { busy, clock } = raw();
    expect(busy.read()).toBe(1);
    clock.advance(Math.ceil(BusyUs.Startup / 1000));
    expect(busy.read()).toBe(0);
  });

  test('Calibrate holds BUSY longer than a register access', () => {
    const { send } = raw();
    send(Opcode.GetStatus, 0);
    send(Opcode.WriteRegister, 0x07, 0x40, 0x34);
    const afterWrite = send(Opcode.GetStatus, 0).polls;
    send(Opcode.Calibrate, 0x7f);
    expect(send(Opcode.GetStatus, 0).polls).toBe(BusyUs.Calibrate);
    expect(afterWrite).toBe(BusyUs.Access);
  });
});

describe('sleep and wake-up', () => {
  test('asleep, BUSY is high until an NSS falling edge wakes the chip; warm start keeps the configuration', () => {
    const { chip, nss, busy, send } = raw();
    send(Opcode.SetPacketType, 1);
    send(Opcode.SetSleep, 0x04);
    expect(chip.mode).toBe('sleep');
    expect(busy.read()).toBe(1);
    nss.write(0);
    nss.write(1);
    expect(send(Opcode.GetPacketType, 0, 0).bytes[2]).toBe(1);
    expect(chip.mode).toBe('standbyRc');
  });

  test('a cold start loses the configuration', () => {
    const { nss, send } = raw();
    send(Opcode.SetPacketType, 1);
    send(Opcode.SetSleep, 0x00);
    nss.write(0);
    nss.write(1);
    expect(send(Opcode.GetPacketType, 0, 0).bytes[2]).toBe(0);
  });
});

describe('buffer and registers', () => {
  test('WriteBuffer and ReadBuffer use the offset and wrap at 256 bytes', () => {
    const { send } = raw();
    send(Opcode.WriteBuffer, 0xfe, 1, 2, 3);
    expect(send(Opcode.ReadBuffer, 0xfe, 0, 0, 0, 0).bytes.slice(3)).toEqual([1, 2, 3]);
    expect(send(Opcode.ReadBuffer, 0x00, 0, 0).bytes[3]).toBe(3);
  });

  test('a whole 256-byte buffer goes in and comes back, in single frames and in frames sent in pieces', () => {
    const payload = Array.from({ length: 256 }, (_, i) => (i * 7 + 3) & 0xff);
    const whole = raw();
    whole.send(Opcode.WriteBuffer, 0x00, ...payload);
    expect(whole.send(Opcode.ReadBuffer, 0x00, 0, ...new Array<number>(256).fill(0)).bytes.slice(3)).toEqual(payload);
    // A fresh chip given each frame a few bytes at a time, as a driver may: each is still one command.
    const pieces = raw();
    const inPieces = (...frame: number[]): number[] => {
      for (let polls = 0; pieces.busy.read() === 1 && polls < 100_000; polls++);
      const miso: number[] = [];
      pieces.nss.write(0);
      for (let at = 0; at < frame.length; at += 7) {
        const piece = Uint8Array.from(frame.slice(at, at + 7));
        pieces.spi.transfer(piece);
        miso.push(...piece);
      }
      pieces.nss.write(1);
      return miso;
    };
    inPieces(Opcode.WriteBuffer, 0x00, ...payload);
    expect(inPieces(Opcode.ReadBuffer, 0x80, 0, ...new Array<number>(100).fill(0)).slice(3)).toEqual(payload.slice(0x80, 0x80 + 100));
  });

  test('the sync word registers reset to 0x1424 and read back what was written', () => {
    const { send } = raw();
    expect(send(Opcode.ReadRegister, 0x07, 0x40, 0, 0, 0).bytes.slice(4)).toEqual([0x14, 0x24]);
    send(Opcode.WriteRegister, 0x07, 0x40, 0x34, 0x44);
    expect(send(Opcode.ReadRegister, 0x07, 0x40, 0, 0, 0).bytes.slice(4)).toEqual([0x34, 0x44]);
  });

  test('GetRssiInst outside RX reads the bottom of the scale', () => {
    const { send } = raw();
    expect(send(Opcode.GetRssiInst, 0, 0).bytes[2]).toBe(0xff);
  });
});

describe('DIO1', () => {
  function transmitOne(send: ReturnType<typeof raw>['send'], dio1Mask: number = Irq.TxDone) {
    send(Opcode.SetPacketType, 1);
    send(Opcode.SetRfFrequency, 0x36, 0x41, 0x99, 0x9a);
    send(Opcode.SetModulationParams, 7, 0x04, 1, 0);
    send(Opcode.SetPacketParams, 0, 8, 0, 4, 1, 0);
    send(Opcode.SetDioIrqParams, 0, Irq.TxDone, 0, dio1Mask, 0, 0, 0, 0);
    send(Opcode.WriteBuffer, 0, 1, 2, 3, 4);
    send(Opcode.SetTx, 0, 0, 0);
  }

  test('TxDone raises DIO1 and onReadable runs later, from a timer', () => {
    let calls = 0;
    const { clock, dio1, send } = raw(() => calls++);
    transmitOne(send);
    clock.advance(30);
    expect([dio1.read(), calls]).toEqual([0, 0]);
    clock.advance(10);
    expect([dio1.read(), calls]).toEqual([1, 1]);
  });

  test('ClearIrqStatus drops DIO1; an IRQ outside the mask is not even flagged', () => {
    const { chip, clock, dio1, send } = raw();
    transmitOne(send);
    clock.advance(100);
    expect(chip.irqStatus).toBe(Irq.TxDone);
    send(Opcode.ClearIrqStatus, 0x03, 0xff);
    expect([dio1.read(), chip.irqStatus]).toEqual([0, 0]);
  });

  test('an onReadable already scheduled does not run once the Digital is closed', () => {
    let calls = 0;
    const { chip, clock, dio1, send } = raw(() => calls++);
    transmitOne(send, 0);
    clock.advance(100);
    send(Opcode.SetDioIrqParams, 0, Irq.TxDone, 0, Irq.TxDone, 0, 0, 0, 0); // DIO1 rises now
    expect(chip.dio1).toBe(true);
    dio1.close();
    clock.advance(100);
    expect(calls).toBe(0);
  });
});

describe('wiring checks', () => {
  test('an SPI on other pins than the chip is wired to is refused', () => {
    const { chip } = raw();
    expect(() => new chip.SPI({ clock: 40, in: TEST_PINS.miso, out: TEST_PINS.mosi, hz: 8e6 })).toThrow(RangeError);
  });

  test('SPI select is refused: NSS must be a Digital the driver toggles', () => {
    const { chip } = raw();
    expect(() => new chip.SPI({ clock: TEST_PINS.sck, in: TEST_PINS.miso, out: TEST_PINS.mosi, hz: 8e6, select: TEST_PINS.nss })).toThrow(RangeError);
  });

  test('a pin opened twice is refused', () => {
    const { chip } = raw();
    expect(() => new chip.Digital({ pin: TEST_PINS.busy, mode: INPUT })).toThrow(/in use/);
  });

  test('BUSY opened as an output is refused', () => {
    const { air, clock } = testbed();
    const chip = new Sx1262({ air, clock, pins: TEST_PINS });
    expect(() => new chip.Digital({ pin: TEST_PINS.busy, mode: OUTPUT })).toThrow(RangeError);
  });
});

describe('command history', () => {
  test('keeps the last commandLogLength commands, oldest first', () => {
    const { chip, send } = raw(undefined, 2);
    send(Opcode.GetStatus, 0);
    send(Opcode.GetPacketType, 0, 0);
    send(Opcode.GetStatus, 0);
    expect(chip.commands.map((c) => c.opcode)).toEqual([Opcode.GetPacketType, Opcode.GetStatus]);
  });

  test('keeps none when commandLogLength is 0, and still runs every command', () => {
    const { chip, send } = raw(undefined, 0);
    expect(send(Opcode.GetStatus, 0).bytes[1]).not.toBe(0);
    expect(chip.commands).toHaveLength(0);
  });

  test('refuses a negative or fractional commandLogLength', () => {
    const { air, clock } = testbed();
    for (const commandLogLength of [-1, 1.5]) expect(() => new Sx1262({ air, clock, pins: TEST_PINS, commandLogLength })).toThrow(RangeError);
  });
});
