/**
 * Writes files to a board's flash through its ROM serial loader with esptool-js (Espressif's own
 * JavaScript port of esptool), over node-serialport through the Web Serial adapter.
 *
 * The sequence is esptool's `write_flash`: reset into the loader with DTR/RTS and SYNC (detectChip),
 * check the chip, upload and start the flasher stub (unless `stub` is false), change the speed, erase
 * if asked (a stub command: the ROM has no whole-chip erase), write each file with FLASH_DEFL_*
 * (deflate-compressed blocks, which the ESP32 and ESP32-S3 ROMs accept as well as the stub), check its
 * MD5 against the flash (SPI_FLASH_MD5), and leave with a hard reset through RTS.
 */
import { createHash } from 'node:crypto';
import { ESPError, ESPLoader, Transport } from 'esptool-js';
import type { ChipFacts } from './chips.js';
import { FlashError, md5Mismatch, notInDownloadMode, openFailure, wrongChip } from './failures.js';
import type { ImageFile } from './image-files.js';
import { SerialOpenError, WebSerialPort, type SerialBinding } from './web-serial-port.js';

/** The ROM loader's speed after reset (ESP32 and ESP32-S3 with a 40 MHz crystal). */
export const ROM_BAUD = 115_200;
/** Espressif's USB vendor id: the S3's own USB port (USB-Serial/JTAG or OTG), not a USB-UART bridge. */
const ESPRESSIF_VID = 0x303a;

export interface FlashRequest {
  readonly path: string;
  /** Default: serialport's binding for this platform. */
  readonly binding?: SerialBinding;
  readonly board: string;
  readonly chip: ChipFacts;
  readonly files: readonly ImageFile[];
  readonly erase: boolean;
  /** false: the ROM loader only, no stub upload. */
  readonly stub: boolean;
  readonly baudRate: number;
  /** Reset-and-sync rounds before giving up (esptool's default 7). */
  readonly connectAttempts?: number;
  /** Told when connected, erasing, and as each file goes out (`sent` of `total` bytes on the wire). */
  readonly onEvent?: (event: FlashEvent) => void;
}

export type FlashEvent =
  | { readonly kind: 'connected'; readonly chip: string; readonly stub: boolean }
  | { readonly kind: 'erasing' }
  | { readonly kind: 'progress'; readonly file: number; readonly sent: number; readonly total: number }
  | { readonly kind: 'verified'; readonly file: number; readonly md5: string };

export interface FlashedFile {
  readonly offset: number;
  readonly size: number;
  /** MD5 of the bytes sent, and as the chip computed it over the flash afterwards. */
  readonly md5: string;
  readonly flashMd5: string;
  readonly verified: boolean;
}

export interface FlashResult {
  readonly chip: string;
  readonly stub: boolean;
  readonly files: readonly FlashedFile[];
}

export const md5Hex = (data: Uint8Array): string => createHash('md5').update(data).digest('hex');

/**
 * The MD5 from SPI_FLASH_MD5 as hex. The stub answers 16 raw bytes; the ROM answers 32 ASCII hex digits,
 * which esptool-js 0.7.0's flashMd5sum hexes a second time (esptool.py decodes them instead).
 */
export function normaliseFlashMd5(answer: string): string {
  if (answer.length !== 64) return answer;
  const text = String.fromCharCode(...(answer.match(/../g) ?? []).map((pair) => Number.parseInt(pair, 16)));
  return /^[0-9a-f]{32}$/i.test(text) ? text.toLowerCase() : answer;
}

/**
 * esptool-js 0.7.0's Transport prints some trace lines ("readLoop exited") with console.log even with
 * tracing off; covey's output is its own, so those are dropped unless tracing was asked for.
 */
class QuietTransport extends Transport {
  override trace(message: string): void {
    if (this.tracing) super.trace(message);
  }
}

/** esptool-js's terminal, kept quiet: only what covey reports on is picked out of its lines. */
class LoaderLog {
  bootLogSeen = false;
  readonly flashMd5s: string[] = [];
  readonly terminal = {
    clean: () => undefined,
    write: (text: string) => this.line(text),
    writeLine: (text: string) => this.line(text),
  };

  private line(text: string): void {
    if (/bootMode:0x[0-9a-f]+/i.test(text)) this.bootLogSeen = true;
    const md5 = /^Flash md5: ([0-9a-f]+)/.exec(text);
    if (md5 !== null) this.flashMd5s.push(md5[1]);
  }
}

async function connect(loader: ESPLoader, request: FlashRequest, log: LoaderLog): Promise<void> {
  try {
    await loader.detectChip('default_reset', request.connectAttempts ?? 7);
  } catch (error) {
    if (error instanceof SerialOpenError) {
      throw openFailure(request.path, error.reason, await WebSerialPort.list(request.binding).catch(() => []));
    }
    if (error instanceof ESPError && /failed to connect/i.test(error.message)) throw notInDownloadMode(request.path, log.bootLogSeen);
    throw error;
  }
  const answered = loader.chip.CHIP_NAME;
  if (answered !== request.chip.name) throw wrongChip(request.board, request.chip.name, answered, request.path);
}

/** Writes every file and checks each; throws FlashError for the failures a person can act on. */
export async function flashBoard(request: FlashRequest): Promise<FlashResult> {
  const port = new WebSerialPort({ path: request.path, binding: request.binding });
  // esptool-js is typed against the DOM's SerialPort; the adapter provides what Transport uses of it.
  const transport = new QuietTransport(port as unknown as ConstructorParameters<typeof Transport>[0], false);
  const log = new LoaderLog();
  const loader = new ESPLoader({ transport, baudrate: request.baudRate, romBaudrate: ROM_BAUD, terminal: log.terminal, debugLogging: true });
  const emit = request.onEvent ?? (() => undefined);
  try {
    await connect(loader, request, log);
    if (request.stub) await loader.runStub();
    else await loader.flashSpiAttach(0);
    emit({ kind: 'connected', chip: loader.chip.CHIP_NAME, stub: loader.IS_STUB });
    if (request.baudRate !== ROM_BAUD) await loader.changeBaud();
    if (request.erase) {
      if (!loader.IS_STUB) throw new FlashError('--erase needs the flasher stub (the ROM loader cannot erase the whole chip): drop --no-stub');
      emit({ kind: 'erasing' });
      await loader.eraseFlash();
    }
    const files = await writeFiles(loader, request, log, emit);
    // esptool.py's HardReset holds EN low through RTS, then releases it; esptool-js 0.7.0's only releases
    // RTS, which resets nothing after the classic reset left it low. So EN goes low here first.
    await transport.setDTR(false);
    await transport.setRTS(true);
    await loader.after('hard_reset', port.getInfo().usbVendorId === ESPRESSIF_VID);
    return { chip: loader.chip.CHIP_NAME, stub: loader.IS_STUB, files };
  } finally {
    await transport.disconnect().catch(() => undefined);
    await port.close();
  }
}

async function writeFiles(loader: ESPLoader, request: FlashRequest, log: LoaderLog, emit: (event: FlashEvent) => void): Promise<FlashedFile[]> {
  let current = 0;
  const stubVerifies = loader.IS_STUB;
  try {
    await loader.writeFlash({
      fileArray: request.files.map(({ data, offset }) => ({ data, address: offset })),
      // Written as built: the bootloader's header already holds the flash mode, speed and size.
      flashMode: 'keep',
      flashFreq: 'keep',
      flashSize: 'keep',
      eraseAll: false,
      compress: true,
      reportProgress: (file, sent, total) => {
        current = file;
        emit({ kind: 'progress', file, sent, total });
      },
      // With the stub, esptool-js compares each file's MD5 with the flash's itself.
      calculateMD5Hash: stubVerifies ? md5Hex : undefined,
    });
  } catch (error) {
    if (error instanceof ESPError && /MD5 of file does not match/i.test(error.message)) {
      const file = request.files[current];
      throw md5Mismatch(file.source, file.offset, md5Hex(file.data), log.flashMd5s[current]);
    }
    throw error;
  }
  const flashed: FlashedFile[] = [];
  for (const [i, file] of request.files.entries()) {
    const md5 = md5Hex(file.data);
    const flashMd5 = stubVerifies ? log.flashMd5s[i] : normaliseFlashMd5(await loader.flashMd5sum(file.offset, file.data.length));
    if (flashMd5 !== md5) throw md5Mismatch(file.source, file.offset, md5, flashMd5);
    emit({ kind: 'verified', file: i, md5 });
    flashed.push({ offset: file.offset, size: file.data.length, md5, flashMd5, verified: true });
  }
  return flashed;
}

