#!/usr/bin/env node
// The `covey` command as installed by npm: runs tools/cli.ts through tsx's loader, which resolves
// from this package (not from the caller's directory), so `covey` works from anywhere.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../tools/cli.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
