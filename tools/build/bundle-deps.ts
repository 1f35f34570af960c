/**
 * The npm packages device code imports (@noble/curves, @noble/hashes), rebuilt as ES modules XS can run,
 * into <out>/deps/, where manifest.json maps them under the names device code imports them by.
 *
 * Why not map node_modules directly: @noble/curves' Point has a static initializer that constructs an
 * instance of a class with instance fields, which XS rejects ("get ?: not initialized yet";
 * ARCHITECTURE.md, "Real parts, not mocks"). esbuild lowers class fields into constructors, with the
 * settings of the XS test tier itself (DEVICE_BUILD, tools/xs/bundle.ts: target es2022, platform neutral,
 * 'import'/'default' conditions, class fields and static class fields lowered), so the device runs the
 * dependencies as the XS tests ran them. Editing node_modules is not an option.
 *
 * One esbuild run with code splitting: code shared by several entries (the SHA-2 core that curves uses
 * for ed25519 and device code uses for digests) goes into one chunk, so the device holds one copy of it.
 * esbuild imports chunks by relative path, which XS cannot resolve from an entry named
 * "@noble/curves/ed25519" (tools/build/device-modules.ts, resolveLikeXs): each chunk import is rewritten to
 * the chunk's module name, "covey-deps/<chunk>". Each entry also gets a .d.ts re-exporting the package's
 * own types, for mcconfig's tsc.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { DEVICE_BUILD } from '../xs/bundle.js';
import { isRelative, listDeviceModules, moduleImports } from './device-modules.js';

/** Where chunks live, and the module-name prefix they get. */
export const CHUNK_PREFIX = 'covey-deps';

/** The folder under the build output that holds the bundled dependencies. */
export const DEPS_FOLDER = 'deps';

export interface BundledEntry {
  /** As device code imports it, e.g. "@noble/curves/ed25519.js". */
  readonly specifier: string;
  /** The module name XS looks up: the specifier without ".js" (moddable.md §1, "Specifiers at runtime"). */
  readonly moduleName: string;
  /** The bundle, absolute path. */
  readonly file: string;
}

export interface DepsBundle {
  readonly entries: readonly BundledEntry[];
  /** Chunk module names, e.g. "covey-deps/chunk-ABCD1234". */
  readonly chunks: readonly string[];
  /** Every file written, absolute. */
  readonly files: readonly string[];
}

/** The npm package a bare specifier names: "@scope/name" or "name". */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package.json dependencies of the checkout at `root`. */
export function npmDependencies(root: string): Set<string> {
  const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  return new Set(Object.keys(json.dependencies ?? {}));
}

/** Every bare specifier of an npm dependency that device code imports at run time, sorted. */
export function deviceNpmSpecifiers(root: string): string[] {
  const dependencies = npmDependencies(root);
  const specifiers = new Set<string>();
  for (const module of listDeviceModules(root)) {
    for (const specifier of moduleImports(root, module)) {
      if (!isRelative(specifier) && dependencies.has(packageOf(specifier))) specifiers.add(specifier);
    }
  }
  return [...specifiers].sort();
}

export function moduleNameOf(specifier: string): string {
  return specifier.replace(/\.m?js$/, '');
}

/** The XS tier's device build options (tools/xs/bundle.ts), as ES modules with shared chunks. */
const DEVICE_ESM: esbuild.BuildOptions = { ...DEVICE_BUILD, format: 'esm', splitting: true, metafile: true };

/** Bundles `specifiers` (default: what device code imports) into `<outDir>/deps/`, replacing what was there. */
export async function bundleDeviceDependencies(options: {
  readonly root: string;
  readonly outDir: string;
  readonly specifiers?: readonly string[];
}): Promise<DepsBundle> {
  const depsDir = join(options.outDir, DEPS_FOLDER);
  const specifiers = options.specifiers ?? deviceNpmSpecifiers(options.root);
  const entryPoints = Object.fromEntries(specifiers.map((specifier) => [moduleNameOf(specifier), specifier]));
  const result = await esbuild.build({
    ...DEVICE_ESM,
    absWorkingDir: options.root,
    entryPoints,
    outdir: depsDir,
    chunkNames: `${CHUNK_PREFIX}/[name]-[hash]`,
  });
  const chunkNames = new Map<string, string>();
  for (const output of result.outputFiles ?? []) {
    const relativePath = relative(depsDir, output.path).split(sep).join('/');
    if (relativePath.startsWith(`${CHUNK_PREFIX}/`)) chunkNames.set(output.path, relativePath.replace(/\.js$/, ''));
  }
  const files: string[] = [];
  const write = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    files.push(path);
  };
  for (const output of result.outputFiles ?? []) write(output.path, withChunkNames(output.path, output.text, chunkNames));
  const entries = specifiers.map((specifier) => {
    const moduleName = moduleNameOf(specifier);
    const file = join(depsDir, `${moduleName}.js`);
    write(join(depsDir, `${moduleName}.d.ts`), `export * from '${specifier}';\n`);
    return { specifier, moduleName, file };
  });
  removeAllBut(depsDir, new Set(files));
  return { entries, chunks: [...chunkNames.values()].sort(), files };
}

/**
 * Deletes what an earlier run left that this one did not write (a chunk whose hash changed: manifest.json
 * maps every file of covey-deps/). Files are rewritten in place rather than the folder being emptied
 * first, so a build running beside another never sees the dependencies missing.
 */
function removeAllBut(directory: string, keep: ReadonlySet<string>): void {
  if (!existsSync(directory)) return;
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) removeAllBut(path, keep);
    else if (!keep.has(path)) rmSync(path, { force: true });
  }
}

/** Replaces each relative import of a chunk with the chunk's module name; fails if any is left. */
function withChunkNames(path: string, text: string, chunkNames: ReadonlyMap<string, string>): string {
  let rewritten = text;
  for (const [chunkPath, name] of chunkNames) {
    let spelled = relative(dirname(path), chunkPath).split(sep).join('/');
    if (!spelled.startsWith('.')) spelled = `./${spelled}`;
    rewritten = rewritten.split(`"${spelled}"`).join(`"${name}"`);
  }
  const left = runtimeSpecifiersOfScript(rewritten).filter(isRelative);
  if (left.length > 0) throw new Error(`${path}: relative imports left after naming chunks: ${left.join(', ')}`);
  return rewritten;
}

/** The import and re-export specifiers of an ES module written in JavaScript. */
export function runtimeSpecifiersOfScript(text: string): string[] {
  const source = ts.createSourceFile('module.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier) {
      if (ts.isStringLiteral(statement.moduleSpecifier)) specifiers.push(statement.moduleSpecifier.text);
    }
  }
  return specifiers;
}

/**
 * Class syntax XS 13 mishandles or that the lowering should have removed: instance or static fields,
 * #private names, static blocks. Each as "line: text". Empty for a correctly lowered bundle.
 */
export function classFieldsIn(text: string): string[] {
  const source = ts.createSourceFile('module.js', text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyDeclaration(node) || ts.isClassStaticBlockDeclaration(node) || ts.isPrivateIdentifier(node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${line + 1}: ${node.getText(source).split('\n')[0].slice(0, 80)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
