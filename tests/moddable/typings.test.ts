/**
 * tsconfig.moddable.json, the configuration `npm run lint` type-checks device code with against
 * @moddable/typings 5.6.0: it must take in the entry point (the one module that hands Moddable's modules
 * to the adapters) and covey's own declarations, and no Node types. A configuration that silently left
 * main.ts out would check nothing of the hand-over; this reads the configuration as tsc does.
 */
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

function parsed(name: string): ts.ParsedCommandLine {
  const host: ts.ParseConfigFileHost = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } };
  const config = ts.getParsedCommandLineOfConfigFile(`${ROOT}/${name}`, {}, host);
  if (config === undefined) throw new Error(`cannot read ${name}`);
  return config;
}

const files = (config: ts.ParsedCommandLine) => config.fileNames.map((file) => relative(ROOT, file));

test('the Moddable configuration checks the entry point, the adapters and all device code', () => {
  const names = files(parsed('tsconfig.moddable.json'));
  for (const file of ['hal/moddable/main.ts', 'hal/moddable/boot.ts', 'src/hotspot.ts', 'proofs/index.ts', 'hal/drivers/open-radio.ts']) {
    expect(names).toContain(file);
  }
});

test('it uses the typings\' modules and globals, and covey\'s SPI and I2C declarations in place of theirs', () => {
  const config = parsed('tsconfig.moddable.json');
  const names = files(config);
  for (const typing of ['xs.d.ts', 'global.d.ts', 'timer.d.ts', 'time.d.ts', 'preference.d.ts', 'flash.d.ts', 'http.d.ts', 'sntp.d.ts', 'wifi.d.ts', 'mc/config.d.ts']) {
    expect(names).toContain(`node_modules/@moddable/typings/${typing}`);
  }
  expect(names).not.toContain('node_modules/@moddable/typings/embedded_io/spi.d.ts');
  expect(names).not.toContain('node_modules/@moddable/typings/embedded_io/i2c.d.ts');
  expect(config.options.paths).toEqual({
    'embedded:io/spi': ['./hal/types/embedded-io-spi.d.ts'],
    'embedded:io/i2c': ['./hal/types/embedded-io-i2c.d.ts'],
  });
});

test('no Node or Jest types are visible to device code, and mcpack\'s timer globals are not either', () => {
  const config = parsed('tsconfig.moddable.json');
  expect(config.options.types).toEqual([]);
  expect(files(config).some((file) => file.includes('@types/') || file.endsWith('mcpack.d.ts'))).toBe(false);
});

test('the host configurations leave out the modules that need the Moddable typings', () => {
  for (const name of ['tsconfig.json', 'tsconfig.device.json']) {
    const names = files(parsed(name));
    expect(names).not.toContain('hal/moddable/main.ts');
    expect(names.some((file) => file.startsWith('hal/types/'))).toBe(false);
    expect(names).toContain('hal/moddable/boot.ts');
  }
});
