import { DriftlessError } from './errors.ts';

/**
 * Path globs matched in linear time. A glob compiled to a backtracking regular expression (picomatch)
 * is a ReDoS: `**\/*?*?*?*?*?*?*?*?z` against a 60-character name took 80 s. Here a glob becomes a
 * small automaton whose states are all tracked at once, so a match costs at most
 * (path length × glob length) steps, whatever the glob.
 *
 * Syntax (as picomatch with `dot: true`): `*` any characters but `/`; `?` one character but `/`;
 * `**` as a whole path segment any number of folders (none included); `[abc]`, `[a-z]`, `[!a]` or
 * `[^a]` one character of a class; `{a,b}` alternatives (nested too); `\` takes the next character
 * literally.
 */

/** More alternatives than this (`{a,b}{c,d}...` multiplies) make the glob too costly to match. */
export const MAX_GLOB_ALTERNATIVES = 64;
/** Automaton states over all alternatives; bounds the work per character of a path. */
export const MAX_GLOB_STATES = 4_096;

type Token =
  | { type: 'char'; char: string }
  | { type: 'one' }
  | { type: 'star' }
  | { type: 'any' }
  | { type: 'class'; negated: boolean; ranges: Array<[string, string]> }
  /** Epsilon to `to` (skips an optional `folders/` part). */
  | { type: 'skip'; to: number };

/**
 * Compiles a glob into a path test.
 * @throws DriftlessError INVALID_ARGUMENT when it expands to too many alternatives or states.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  const alternatives = expandBraces(glob);
  const machines = alternatives.map(tokenize);
  const states = machines.reduce((sum, tokens) => sum + tokens.length + 1, 0);
  if (states > MAX_GLOB_STATES)
    throw new DriftlessError('INVALID_ARGUMENT', 'The path pattern is too complex.', { glob });
  return (path) => machines.some((tokens) => run(tokens, path));
}

/** Simulates the automaton over the path: every live state moves at once, one character at a time. */
function run(tokens: readonly Token[], path: string): boolean {
  const end = tokens.length;
  let current = new Uint8Array(end + 1);
  let next = new Uint8Array(end + 1);
  const add = (set: Uint8Array, state: number): void => {
    // Epsilon moves only go forward, so this recursion is at most as deep as the glob is long.
    if (set[state]) return;
    set[state] = 1;
    const token = tokens[state];
    if (!token) return;
    if (token.type === 'star' || token.type === 'any') add(set, state + 1);
    else if (token.type === 'skip') {
      add(set, token.to);
      add(set, state + 1);
    }
  };
  add(current, 0);
  for (const char of path) {
    next.fill(0);
    let alive = false;
    for (let state = 0; state < end; state++) {
      if (!current[state]) continue;
      const token = tokens[state]!;
      const step = advance(token, char);
      if (step === 'stay') add(next, state);
      else if (step === 'next') add(next, state + 1);
      else continue;
      alive = true;
    }
    if (!alive) return false;
    [current, next] = [next, current];
  }
  return current[end] === 1;
}

function advance(token: Token, char: string): 'stay' | 'next' | undefined {
  switch (token.type) {
    case 'char':
      return token.char === char ? 'next' : undefined;
    case 'one':
      return char === '/' ? undefined : 'next';
    case 'star':
      return char === '/' ? undefined : 'stay';
    case 'any':
      return 'stay';
    case 'class': {
      if (char === '/') return undefined;
      const inside = token.ranges.some(([low, high]) => char >= low && char <= high);
      return inside !== token.negated ? 'next' : undefined;
    }
    case 'skip':
      return undefined;
  }
}

/** Tokens of one alternative (braces already expanded). */
function tokenize(glob: string): Token[] {
  const chars = [...glob];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i]!;
    if (char === '\\' && i + 1 < chars.length) {
      tokens.push({ type: 'char', char: chars[++i]! });
    } else if (char === '*') {
      let stars = 1;
      while (chars[i + stars] === '*') stars++;
      const segmentStart = i === 0 || chars[i - 1] === '/';
      const segmentEnd = i + stars === chars.length || chars[i + stars] === '/';
      i += stars - 1;
      if (stars >= 2 && segmentStart && segmentEnd) globstar(tokens, chars, i);
      else if (tokens.at(-1)?.type !== 'star') tokens.push({ type: 'star' });
      if (stars >= 2 && segmentStart && segmentEnd && chars[i + 1] === '/') i++;
    } else if (char === '?') {
      tokens.push({ type: 'one' });
    } else if (char === '[') {
      const parsed = charClass(chars, i);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ type: 'char', char });
    } else {
      tokens.push({ type: 'char', char });
    }
  }
  return tokens;
}

/**
 * `**` as a whole segment. `**\/` matches nothing or folders ending in `/`; a trailing `/**` matches
 * nothing or `/` and anything; a lone `**` anything.
 */
function globstar(tokens: Token[], chars: string[], at: number): void {
  const followedBySlash = chars[at + 1] === '/';
  if (followedBySlash) {
    // skip -> [any, '/'] -> after
    const skipAt = tokens.length;
    tokens.push({ type: 'skip', to: skipAt + 3 });
    tokens.push({ type: 'any' });
    tokens.push({ type: 'char', char: '/' });
    return;
  }
  const previous = tokens.at(-1);
  if (previous?.type === 'char' && previous.char === '/') {
    // `a/**`: the slash becomes optional together with what follows it.
    tokens.pop();
    const skipAt = tokens.length;
    tokens.push({ type: 'skip', to: skipAt + 3 });
    tokens.push({ type: 'char', char: '/' });
    tokens.push({ type: 'any' });
    return;
  }
  tokens.push({ type: 'any' });
}

function charClass(chars: string[], start: number): { token: Token; end: number } | undefined {
  let i = start + 1;
  const negated = chars[i] === '!' || chars[i] === '^';
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  let first = true;
  for (; i < chars.length; i++) {
    let char = chars[i]!;
    if (char === ']' && !first) return { token: { type: 'class', negated, ranges }, end: i };
    first = false;
    if (char === '\\' && i + 1 < chars.length) char = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let high = chars[i + 2]!;
      i += 2;
      if (high === '\\' && i + 1 < chars.length) high = chars[++i]!;
      ranges.push([char, high]);
    } else ranges.push([char, char]);
  }
  return undefined;
}

/** `{a,b}` alternatives, nested ones too; a brace without a comma stays literal. */
function expandBraces(glob: string): string[] {
  const open = findBrace(glob);
  if (!open) return [glob];
  const { start, end, parts } = open;
  const results: string[] = [];
  for (const part of parts) {
    for (const expanded of expandBraces(glob.slice(0, start) + part + glob.slice(end + 1))) {
      results.push(expanded);
      if (results.length > MAX_GLOB_ALTERNATIVES)
        throw new DriftlessError('INVALID_ARGUMENT', 'The path pattern has too many alternatives.', {
          glob,
        });
    }
  }
  return results;
}

/** The first `{...}` with a top-level comma: where it starts and ends, and its parts. */
function findBrace(glob: string): { start: number; end: number; parts: string[] } | undefined {
  for (let start = 0; start < glob.length; start++) {
    if (glob[start] === '\\') {
      start++;
      continue;
    }
    if (glob[start] !== '{') continue;
    let depth = 0;
    const commas: number[] = [];
    for (let i = start; i < glob.length; i++) {
      const char = glob[i];
      if (char === '\\') i++;
      else if (char === '{') depth++;
      else if (char === ',' && depth === 1) commas.push(i);
      else if (char === '}' && --depth === 0) {
        if (commas.length === 0) break;
        const cuts = [start, ...commas, i];
        const parts = cuts.slice(0, -1).map((cut, k) => glob.slice(cut + 1, cuts[k + 1]));
        return { start, end: i, parts };
      }
    }
  }
  return undefined;
}
