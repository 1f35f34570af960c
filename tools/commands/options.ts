/**
 * Parsers for numeric command-line options, for commander's `.option(flags, description, parser)`: each
 * refuses a value out of its range with InvalidArgumentError, which commander prints as one line naming
 * the option.
 */
import { InvalidArgumentError } from 'commander';

/** A whole number (optionally signed) of at least `min`. */
export function wholeNumber(name: string, min: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min) {
      throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}`);
    }
    return value;
  };
}

/** A finite number that `accepts`; otherwise "`name` must be `what`". */
export function numberWhere(name: string, accepts: (value: number) => boolean, what: string): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value) || !accepts(value)) throw new InvalidArgumentError(`${name} must be ${what}`);
    return value;
  };
}
