/**
 * The npm dependencies as the device gets them (build/deps): ES modules that import each other by the
 * names the manifest maps, no class fields left for XS to trip on, nothing compiled at run time, and the
 * device's signer and digest working on them inside the real XS engine.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { toHex } from '../../proofs/index.js';
import {
  bundleDeviceDependencies, CHUNK_PREFIX, classFieldsIn, deviceNpmSpecifiers, runtimeSpecifiersOfScript, type DepsBundle,
} from '../../tools/build/bundle-deps.js';
import { isRelative } from '../../tools/build/device-modules.js';
import { readManifest } from '../../tools/build/manifest-model.js';
import { createHostSigner } from '../../tools/crypto/node-ed25519.js';
import { XsWorker } from '../../tools/xs/xs-runner.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = fileURLToPath(new URL('./entries/deps-entry.ts', import.meta.url));
let out: string;
let bundle: DepsBundle;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'covey-deps-'));
  bundle = await bundleDeviceDependencies({ root: ROOT, outDir: out });
});

afterAll(() => rmSync(out, { recursive: true, force: true }));

const scripts = () => bundle.files.filter((file) => file.endsWith('.js'));

test('bundles exactly the npm specifiers device code imports, under the names the manifest maps', () => {
  expect(bundle.entries.map(({ specifier }) => specifier)).toEqual(deviceNpmSpecifiers(ROOT));
  const modules = readManifest(join(ROOT, 'manifest.json')).modules ?? {};
  for (const { moduleName } of bundle.entries) expect(modules[moduleName]).toBe(`./build/deps/${moduleName}`);
  expect(modules[`${CHUNK_PREFIX}/*`]).toBe(`./build/deps/${CHUNK_PREFIX}/*`);
});

test('every file is an ES module that imports only chunks, by their module names', () => {
  const chunkNames = new Set(bundle.chunks);
  for (const file of scripts()) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
    expect(source.statements.some((statement) => ts.isExportDeclaration(statement))).toBe(true);
    const specifiers = runtimeSpecifiersOfScript(text);
    expect(specifiers.filter(isRelative)).toEqual([]);
    expect(specifiers.filter((specifier) => !chunkNames.has(specifier))).toEqual([]);
  }
  expect(bundle.chunks.length).toBeGreaterThan(0);
});

test('the bundle has no class fields, #private names or static blocks', () => {
  for (const file of scripts()) expect(classFieldsIn(readFileSync(file, 'utf8'))).toEqual([]);
});

test('classFieldsIn finds the fields @noble/curves ships with (control)', () => {
  const edwards = readFileSync(join(ROOT, 'node_modules/@noble/curves/abstract/edwards.js'), 'utf8');
  expect(classFieldsIn(edwards)).toEqual(expect.arrayContaining([expect.stringMatching(/static BASE/)]));
});

/** Calls of the global eval and constructions of Function, by syntax: what needs XS's run-time parser. */
function runtimeCompilation(text: string): string[] {
  const source = ts.createSourceFile('module.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    const callee = ts.isCallExpression(node) || ts.isNewExpression(node) ? node.expression : undefined;
    if (callee !== undefined && ts.isIdentifier(callee) && (callee.text === 'eval' || callee.text === 'Function')) found.push(node.getText(source).slice(0, 60));
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('nothing in the bundle compiles code at run time (eval, Function)', () => {
  for (const file of scripts()) expect(runtimeCompilation(readFileSync(file, 'utf8'))).toEqual([]);
  expect(runtimeCompilation('const f = new Function("return 1"); eval("2"); ({ eval(a) { return a; } }).eval(3);')).toHaveLength(2);
});

test("each entry has a .d.ts re-exporting the package's own types", () => {
  for (const { specifier, file } of bundle.entries) {
    expect(readFileSync(file.replace(/\.js$/, '.d.ts'), 'utf8')).toBe(`export * from '${specifier}';\n`);
  }
});

test('a rebuild removes files an earlier build left behind', async () => {
  const stale = join(out, 'deps', CHUNK_PREFIX, 'chunk-STALE.js');
  mkdirSync(join(out, 'deps', CHUNK_PREFIX), { recursive: true });
  writeFileSync(stale, 'export {};\n');
  await bundleDeviceDependencies({ root: ROOT, outDir: out });
  expect(existsSync(stale)).toBe(false);
  expect(bundle.files.every((file) => existsSync(file))).toBe(true);
});

describe('in XS', () => {
  let worker: XsWorker;

  beforeAll(async () => {
    const depsDir = join(out, 'deps');
    const result = await esbuild.build({
      entryPoints: [ENTRY],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      target: 'es2022',
      logLevel: 'silent',
      // No class-field lowering here: whatever fields the dependencies still had would reach XS as they are.
      plugins: [
        {
          name: 'deps-as-mapped',
          setup(build) {
            build.onResolve({ filter: /^(@noble\/|covey-deps\/)/ }, ({ path }) => ({ path: join(depsDir, `${path.replace(/\.js$/, '')}.js`) }));
          },
        },
      ],
    });
    worker = await XsWorker.start({ name: 'covey-xs-deps' });
    await worker.evaluate(result.outputFiles[0].text);
  });

  afterAll(async () => {
    await worker?.close();
  });

  test("the device's signer signs as node:crypto does, and its verifier accepts it", async () => {
    const seed = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
    const message = new TextEncoder().encode('covey build: deps in XS');
    const { value } = await worker.call<{ publicKey: Uint8Array; signature: Uint8Array; verified: boolean }>('sign', { seed, message });
    const host = createHostSigner(seed);
    expect(toHex(value.publicKey)).toBe(toHex(host.publicKey));
    expect(toHex(value.signature)).toBe(toHex(host.sign(message)));
    expect(value.verified).toBe(true);
  });

  test('the same entry on the packages as published fails in XS (control)', async () => {
    const raw = await esbuild.build({
      entryPoints: [ENTRY], bundle: true, write: false, format: 'iife', platform: 'neutral', target: 'es2022',
      conditions: ['import', 'default'], mainFields: ['module', 'main'], logLevel: 'silent',
    });
    const control = await XsWorker.start({ name: 'covey-xs-deps-control' });
    try {
      await expect(control.evaluate(raw.outputFiles[0].text)).rejects.toThrow(/not initialized yet/);
    } finally {
      await control.close();
    }
  });

  test('SHA-256 from the bundle matches node:crypto', async () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => i);
    const { value } = await worker.call<Uint8Array>('sha256', { data });
    expect(toHex(value)).toBe(createHash('sha256').update(data).digest('hex'));
  });
});
