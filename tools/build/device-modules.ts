/**
 * The device's modules as the Moddable build sees them: every TypeScript file of the device code
 * (src/, proofs/, hal/: ARCHITECTURE.md, "One codebase, two worlds"), the module name manifest.json gives
 * it, and the specifiers it imports at run time.
 *
 * Module names are repository paths without the extension ("src/hotspot", "hal/moddable/main"), because
 * relative imports are resolved against the importing module's *name* on the device (resolveLikeXs below).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';

/** The folders holding device code. */
export const DEVICE_ROOTS = ['src', 'proofs', 'hal'] as const;

export interface DeviceModule {
  /** Repository-relative path with '/' separators, e.g. "hal/drivers/sx127x/chip.ts". */
  readonly file: string;
  /** The module name on the device: the path without ".ts". */
  readonly name: string;
}

/** A .ts file that is a module: not an ambient declaration file (.d.ts), not a test. */
function isModuleFile(name: string): boolean {
  return name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts');
}

function walk(directory: string, found: string[]): string[] {
  for (const entry of readdirSync(directory).sort()) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) walk(path, found);
    else if (isModuleFile(entry)) found.push(path);
  }
  return found;
}

/** Every device module under `root`, sorted by name. */
export function listDeviceModules(root: string): DeviceModule[] {
  const files = DEVICE_ROOTS.flatMap((folder) => walk(join(root, folder), []));
  return files
    .map((path) => relative(root, path).split(sep).join('/'))
    .map((file) => ({ file, name: file.slice(0, -'.ts'.length) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The specifiers a TypeScript module imports once compiled: imports used only as types are erased, as
 * tsc erases them when mcconfig compiles the file (moddable.md §1, "TypeScript in mcconfig"). Static
 * imports, re-exports and dynamic `import("…")` with a literal specifier are all counted.
 */
export function runtimeImports(source: string, fileName = 'module.ts'): string[] {
  const { outputText } = ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, isolatedModules: true },
  });
  const compiled = ts.createSourceFile('compiled.js', outputText, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument !== undefined && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(compiled);
  return specifiers;
}

const importsCache = new Map<string, { readonly source: string; readonly imports: string[] }>();

/** The run-time imports of a device module file (remembered per file while its text is unchanged). */
export function moduleImports(root: string, module: DeviceModule): string[] {
  const path = join(root, module.file);
  const source = readFileSync(path, 'utf8');
  const cached = importsCache.get(path);
  if (cached !== undefined && cached.source === source) return cached.imports;
  const imports = runtimeImports(source, module.file);
  importsCache.set(path, { source, imports });
  return imports;
}

export function isRelative(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../');
}

/**
 * The module name XS looks up for `specifier` imported by the module named `importer`, or undefined where
 * it gives up. This is `fxFindModule` of Moddable's mc host (xs/platforms/mc/xsHosts.c; xsl, which
 * preloads modules at build time, does the same in xs/tools/xslBase.c):
 * - a ".js" or ".mjs" ending of the last path segment is dropped;
 * - "./x" replaces the importer's last segment with "x"; "../x" replaces its last two with "x";
 * - nothing else is normalised: "../../x" becomes "<importer's parent>/../x", a name no module has.
 * So a device module may climb at most one folder per import.
 */
export function resolveLikeXs(importer: string, specifier: string): string | undefined {
  const dot = specifier.startsWith('./') ? 1 : specifier.startsWith('../') ? 2 : 0;
  let name = specifier;
  const tail = name.slice(Math.max(name.lastIndexOf('/'), 0));
  const extension = tail.slice(tail.lastIndexOf('.'));
  if (tail.includes('.') && (extension === '.js' || extension === '.mjs')) name = name.slice(0, -extension.length);
  if (dot === 0) return name;
  let buffer = `/${importer}`;
  let slash = buffer.lastIndexOf('/');
  if (dot === 2) {
    buffer = buffer.slice(0, slash);
    slash = buffer.lastIndexOf('/');
    if (slash < 0) return undefined;
  }
  return `${buffer.slice(0, slash)}${name.slice(dot)}`.slice(1);
}

/** What a normal module resolver (Node, esbuild, tsc) makes of a relative specifier: a clean path. */
export function resolveNormally(importer: string, specifier: string): string {
  const parts = importer.split('/').slice(0, -1);
  for (const part of specifier.replace(/\.m?js$/, '').split('/')) {
    if (part === '..') parts.pop();
    else if (part !== '.') parts.push(part);
  }
  return parts.join('/');
}
