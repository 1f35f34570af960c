/** The two printed forms of a description: aligned readable text, and one JSON object. */
import { hotspotAddress, toHex } from '../proofs/index.js';
import type { Description } from './describe.js';
import { isSound, type SignatureCheck } from './describe-checks.js';
import { Leaf, type Json, type Tree } from './describe-fields.js';

const VERDICT_TEXT = { valid: 'valid', invalid: 'INVALID', unchecked: 'not checked' } as const;

/** The readable form: a header line, the fields indented, then the signature verdicts. */
export function describeText(description: Description): string {
  const encoding = description.encoding === 'frame' ? 'beacon frame' : 'CBOR';
  const lines = [`${description.type} v${description.version} (${encoding}, ${description.size} bytes)`];
  treeLines(description.fields, '  ', lines);
  if (description.signatures.length > 0) {
    lines.push('signatures');
    for (const check of description.signatures) lines.push(`  ${checkText(check)}`);
  }
  if (description.problems.length > 0) {
    lines.push('problems');
    for (const problem of description.problems) lines.push(`  ${problem}`);
  }
  return `${lines.join('\n')}\n`;
}

function treeLines(tree: Tree, indent: string, lines: string[]): void {
  const width = Math.max(...Object.keys(tree).map((key) => key.length));
  for (const [key, value] of Object.entries(tree)) {
    if (value instanceof Leaf) {
      lines.push(`${indent}${key.padEnd(width)}  ${value.text}`);
    } else if (Array.isArray(value)) {
      lines.push(`${indent}${key} (${value.length})`);
      (value as readonly Tree[]).forEach((item, i) => {
        lines.push(`${indent}  [${i}]`);
        treeLines(item, `${indent}    `, lines);
      });
    } else {
      lines.push(`${indent}${key}`);
      treeLines(value as Tree, `${indent}  `, lines);
    }
  }
}

function checkText(check: SignatureCheck): string {
  const signer = check.signer === undefined ? '' : ` by ${hotspotAddress(check.signer)}`;
  const detail = check.detail === undefined ? '' : ` (${check.detail})`;
  return `${check.what}${signer}: ${VERDICT_TEXT[check.verdict]}${detail}`;
}

/** The JSON form: every field with its wire value and human units, each verdict, and `ok`. */
export function describeJson(description: Description): Json {
  return {
    type: description.type,
    typeCode: description.typeCode,
    version: description.version,
    encoding: description.encoding,
    size: description.size,
    ok: isSound(description),
    fields: treeJson(description.fields),
    signatures: description.signatures.map((check) => ({
      what: check.what,
      verdict: check.verdict,
      signer: check.signer === undefined ? null : toHex(check.signer),
      signerAddress: check.signer === undefined ? null : hotspotAddress(check.signer),
      detail: check.detail ?? null,
    })),
    problems: description.problems,
  };
}

function treeJson(tree: Tree): Json {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(tree)) {
    if (value instanceof Leaf) out[key] = value.json;
    else if (Array.isArray(value)) out[key] = (value as readonly Tree[]).map(treeJson);
    else out[key] = treeJson(value as Tree);
  }
  return out;
}
