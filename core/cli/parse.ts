import { InvalidArgumentError } from 'commander';

/** Option parser for a non-negative integer. */
export function parseInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Not a whole number.');
  return Number(value);
}

/** Option parser for a whole number from `min` to `max`, saying the range when it is not one. */
export function integerFrom(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = /^\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= min && number <= max))
      throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return number;
  };
}

/** Option parser for seconds (a fraction allowed), from 0 to a day; returns milliseconds. */
export function parseSecondsToMs(value: string): number {
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds >= 0 && seconds <= 86_400)) throw new InvalidArgumentError('Give seconds from 0 to 86400.');
  return Math.round(seconds * 1000);
}

/** Option parser that collects a repeatable option into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
