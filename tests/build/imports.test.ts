/**
 * What device code imports at run time, against what the image holds: relative imports land on mapped
 * modules, bare ones on Moddable modules the manifest includes or on the bundled npm dependencies; and
 * the one known gap, imports XS's module lookup cannot follow on the device.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { deviceNpmSpecifiers, moduleNameOf } from '../../tools/build/bundle-deps.js';
import {
  isRelative, listDeviceModules, moduleImports, resolveLikeXs, resolveNormally, runtimeImports,
} from '../../tools/build/device-modules.js';
import { moduleMap, readManifest } from '../../tools/build/manifest-model.js';
import { MODDABLE_MODULES } from '../../tools/build/moddable-sdk.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const manifest = readManifest(join(ROOT, 'manifest.json'));
const device = listDeviceModules(ROOT);
const imports = device.flatMap((module) => moduleImports(ROOT, module).map((specifier) => ({ module, specifier })));

describe('runtimeImports', () => {
  test('drops imports used only as types, as tsc does', () => {
    const source = "import type { A } from './a.js';\nimport { B } from './b.js';\nimport { C } from './c.js';\nexport const c: B = C;";
    expect(runtimeImports(source)).toEqual(['./c.js']);
  });

  test('keeps re-exports, side-effect imports and dynamic imports', () => {
    const source = "export { x } from './x.js';\nexport * from './y.js';\nimport './z.js';\nexport const w = () => import('./w.js');";
    expect(runtimeImports(source)).toEqual(['./x.js', './y.js', './z.js', './w.js']);
  });
});

describe('resolveLikeXs (xs/platforms/mc/xsHosts.c fxFindModule)', () => {
  test.each([
    ['src/hotspot', './ports.js', 'src/ports'],
    ['hal/moddable/boot', '../boards/index.js', 'hal/boards/index'],
    ['hal/moddable/main', './boot.js', 'hal/moddable/boot'],
    ['src/hotspot', 'timer', 'timer'],
    ['proofs/digest', '@noble/hashes/sha2.js', '@noble/hashes/sha2'],
    ['src/queue/mount', '../ports.mjs', 'src/ports'],
  ])('%s imports %s as %s', (importer, specifier, expected) => {
    expect(resolveLikeXs(importer, specifier)).toBe(expected);
  });

  test('does not normalise a second "../"', () => {
    expect(resolveLikeXs('hal/moddable/boot', '../../src/hotspot.js')).toBe('hal/../src/hotspot');
    expect(resolveNormally('hal/moddable/boot', '../../src/hotspot.js')).toBe('src/hotspot');
  });

  test('gives up on "../" from a module at the top level', () => {
    expect(resolveLikeXs('main', '../x.js')).toBeUndefined();
  });
});

test('every relative import of device code lands on a mapped module', () => {
  const names = new Set(moduleMap(manifest.modules, ROOT).modules.map(({ name }) => name));
  const unmapped = imports
    .filter(({ module, specifier }) => isRelative(specifier) && !names.has(resolveNormally(module.name, specifier)))
    .map(({ module, specifier }) => `${module.file} → ${specifier}`);
  expect(unmapped).toEqual([]);
});

test('every bare import is a Moddable module the manifest includes, or a bundled npm dependency it maps', () => {
  const npm = new Set(deviceNpmSpecifiers(ROOT));
  const includes = new Set(manifest.include);
  const problems = imports
    .filter(({ specifier }) => !isRelative(specifier))
    .filter(({ specifier }) => {
      if (npm.has(specifier)) return !Object.hasOwn(manifest.modules ?? {}, moduleNameOf(specifier));
      const source = MODDABLE_MODULES[specifier];
      return source === undefined || (source !== 'mcconfig' && !includes.has(source));
    })
    .map(({ module, specifier }) => `${module.file} → ${specifier}`);
  expect(problems).toEqual([]);
  expect([...npm]).toEqual(['@noble/curves/ed25519.js', '@noble/hashes/sha2.js']);
});

test('the entry point is the only device module that imports Moddable modules', () => {
  const importers = new Set(imports.filter(({ specifier }) => specifier in MODDABLE_MODULES).map(({ module }) => module.name));
  expect([...importers]).toEqual(['hal/moddable/main']);
});

// XS resolves "../" once per import (Moddable xs/platforms/mc/xsHosts.c), so an import that climbs two
// folders works in Node, esbuild and tsc but not on the device; modules one folder up re-export instead
// (hal/runtime.ts, hal/protocol.ts, hal/drivers/airtime.ts).
test('every relative import climbs at most one folder, as XS resolves it on the device', () => {
  const deep = imports.filter(
    ({ module, specifier }) => isRelative(specifier) && resolveLikeXs(module.name, specifier) !== resolveNormally(module.name, specifier),
  );
  expect(deep.map(({ module, specifier }) => `${module.file} → ${specifier}`)).toEqual([]);
});

test('device code declares no static class fields or static blocks', () => {
  // mcconfig compiles device TypeScript for es2025 without lowering class fields (moddable.md §1); XS 13
  // fails a static initializer that builds an instance of a class with fields (ARCHITECTURE.md), so
  // device code stays clear of static fields altogether, as it does today.
  const found = device.flatMap(({ file }) => {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const hits: string[] = [];
    const visit = (node: ts.Node): void => {
      const isStatic = ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword);
      if ((ts.isPropertyDeclaration(node) && isStatic) || ts.isClassStaticBlockDeclaration(node)) hits.push(`${file}: ${node.getText(source).slice(0, 60)}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
    return hits;
  });
  expect(found).toEqual([]);
});

test('no device module calls trace() while it loads, which preloading would refuse', () => {
  // Preloaded module bodies run at build time, where host functions cannot be called (moddable.md §5);
  // trace is the one host function device code sees as a global. Only function bodies may call it.
  const found = device.flatMap(({ file }) => {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    const hits: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node)) return;
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'trace') hits.push(`${file}: ${node.getText(source)}`);
      ts.forEachChild(node, visit);
    };
    visit(source);
    return hits;
  });
  expect(found).toEqual([]);
});

