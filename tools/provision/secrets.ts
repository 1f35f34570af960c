/**
 * Where `covey provision` gets the Wi-Fi password: a file, or a prompt on the terminal with echo off.
 * Never from the command line (which other users can read in the process list and shells keep in
 * their history), never printed.
 */
import { readSecretFile } from '../keyfile.js';
import { ProvisionError } from './settings.js';

/** The password in `path`: its text without one trailing line ending; an empty file is an open network. */
export function readPasswordFile(path: string): { password: string; warning?: string } {
  let secret: { text: string; warning?: string };
  try {
    secret = readSecretFile(path, 'Wi-Fi password file');
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : 'cannot be read';
    throw new ProvisionError(`--wifi-pass-file ${path}: ${why}`);
  }
  const password = secret.text.replace(/\r?\n$/, '');
  if (/[\r\n]/.test(password)) throw new ProvisionError(`--wifi-pass-file ${path}: holds more than one line`);
  return secret.warning === undefined ? { password } : { password, warning: secret.warning };
}

/** A terminal to ask on: process.stdin and process.stderr by default. */
export interface PromptTerminal {
  readonly input: NodeJS.ReadStream;
  readonly output: NodeJS.WritableStream;
}

/**
 * Asks `question` on the terminal and reads one line with echo off (raw mode: nothing typed is shown).
 * Backspace deletes; Ctrl-C or Ctrl-D cancels.
 */
export function promptHidden(question: string, terminal: PromptTerminal = { input: process.stdin, output: process.stderr }): Promise<string> {
  const { input, output } = terminal;
  if (!input.isTTY) return Promise.reject(new ProvisionError('no terminal to ask for the Wi-Fi password on: give --wifi-pass-file'));
  output.write(question);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      if (error === undefined) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003' || char === '\u0004') return finish(new ProvisionError('cancelled'));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
