import type { SearchFilters } from './filters.ts';
import type { QueryChip } from './hits.ts';
import { applyOperator, isOperatorKey, type OperatorState } from './queryOperators.ts';

/**
 * 'full' is the search box's language: phrases are required, `-word` excludes, `OR` joins phrases and
 * a bad operator is a problem. 'plain' reads text that nobody typed as a query (benchmark queries,
 * sentences of notes the adaptation gate replays): valid operators still apply and phrases still rank
 * first, but quotes, dashes, OR and operator-like words never filter or refuse.
 */
export type QuerySyntax = 'full' | 'plain';

/** A search box query split into free text, exact phrases, exclusions and filters. */
export interface ParsedQuery {
  /** The words to search for, phrases included (unquoted); operators, exclusions and OR removed. */
  text: string;
  /** Quoted phrases, in order. */
  phrases: string[];
  /** A note must contain one phrase of every group (`"a b" OR "c d"` is one group of two). */
  requiredPhrases: string[][];
  /** Words and phrases written with a leading `-`: notes containing any of them are left out. */
  excluded: string[];
  filters: SearchFilters;
  /** `folder:` values as typed (a folder's name or id), for the caller to resolve. */
  folders: string[];
  /** How the query was understood, for the window to show. */
  chips: QueryChip[];
  /** Operators that cannot be used, one sentence each; a query with any is refused. */
  problems: string[];
}

interface Term {
  kind: 'word' | 'phrase';
  value: string;
}

// A token: [-]key:"quoted value", [-]"phrase" (unterminated runs to the end), or a word.
const TOKEN = /(-?)([A-Za-z]+):"([^"]*)"?|(-?)"([^"]*)"?|(\S+)/g;

const clean = (phrase: string): string => phrase.trim().replace(/\s+/g, ' ');
const quoted = (term: Term): string => (term.kind === 'phrase' ? `“${term.value}”` : term.value);

/** Collects the query's parts as the tokens come; OR joins a term to the one before it. */
class QueryBuilder {
  readonly groups: Term[][] = [];
  readonly excluded: string[] = [];
  readonly state: OperatorState = { filters: {}, folders: [], chips: [], problems: [] };
  readonly #plain: boolean;
  #orPending = false;

  constructor(syntax: QuerySyntax) {
    this.#plain = syntax === 'plain';
  }

  term(term: Term): void {
    const last = this.groups.at(-1);
    if (this.#orPending && last) last.push(term);
    else this.groups.push([term]);
    this.#orPending = false;
  }

  or(): void {
    if (this.#plain || this.groups.length === 0 || this.#orPending) this.term({ kind: 'word', value: 'OR' });
    else this.#orPending = true;
  }

  exclude(value: string, whole: string): void {
    if (this.#plain) {
      // Plain text keeps a dash as written; a quoted part still ranks as a phrase.
      const quotedPart = whole.startsWith('-"');
      return this.term(quotedPart ? { kind: 'phrase', value } : { kind: 'word', value: whole });
    }
    this.excluded.push(value);
    this.state.chips.push({ kind: 'exclude', label: `not ${value.includes(' ') ? `“${value}”` : value}` });
  }

  /** `key:value`: an operator when the key is known, else plain text (URLs, times). */
  operator(negated: boolean, key: string, value: string, whole: string): void {
    if (!isOperatorKey(key))
      return negated ? this.exclude(whole.slice(1), whole) : this.term({ kind: 'word', value: whole });
    if (negated) this.state.problems.push(`${whole} cannot exclude: leave out the “-” or the operator.`);
    else applyOperator(this.state, key, value);
    this.#problemsAsText(whole);
  }

  /** In plain text an operator that cannot be used is just words, as it was written. */
  #problemsAsText(whole: string): void {
    if (!this.#plain || this.state.problems.length === 0) return;
    this.state.problems.length = 0;
    this.term({ kind: 'word', value: whole });
  }

  word(word: string): void {
    if (word === 'OR') return this.or();
    const hashTag = /^#([\p{L}\p{N}_\-/]+)$/u.exec(word);
    if (hashTag?.[1]) return applyOperator(this.state, 'tag', hashTag[1]);
    const operator = /^(-?)([A-Za-z]+):(.*)$/.exec(word);
    if (operator) return this.operator(operator[1] === '-', operator[2]!, operator[3]!, word);
    if (/^-[\p{L}]/u.test(word) || /^-\p{N}+[\p{L}]/u.test(word)) return this.exclude(word.slice(1), word);
    this.term({ kind: 'word', value: word });
  }

  build(): ParsedQuery {
    const terms = this.groups.flat();
    const phraseGroups = this.groups.filter((group) => group.every((term) => term.kind === 'phrase'));
    const termChips = this.groups
      .filter((group) => group.length > 1 || group[0]?.kind === 'phrase')
      .map(
        (group): QueryChip => ({
          kind: group.length > 1 ? 'anyOf' : 'phrase',
          label: group.map(quoted).join(' or '),
        }),
      );
    const { filters, folders, chips, problems } = this.state;
    return {
      text: terms.map((term) => term.value).join(' '),
      phrases: terms.filter((term) => term.kind === 'phrase').map((term) => term.value),
      requiredPhrases: this.#plain ? [] : phraseGroups.map((group) => group.map((term) => term.value)),
      excluded: this.excluded,
      filters,
      folders,
      chips: [...termChips, ...chips],
      problems,
    };
  }
}

/**
 * Parses `tag:foo`, `#foo`, `folder:<name or id>`, `path:<folder or glob>`, `after:`/`before:` a
 * day, month or year (`after` excludes the period itself, `before` too), `"exact phrase"` (notes
 * must contain it), `-word` and `-"phrase"` (notes containing them are left out), and `OR` between
 * terms (either phrase will do). Operators take a quoted value too (`path:"My Notes/**"`). Unknown
 * `key:value` is text; a known operator with a bad value is a problem, never silently dropped.
 */
export function parseQuery(raw: string, syntax: QuerySyntax = 'full'): ParsedQuery {
  const query = new QueryBuilder(syntax);
  for (const match of raw.matchAll(TOKEN)) {
    const [whole, negatedKey, key, quotedValue, negatedPhrase, phrase, word] = match;
    if (key !== undefined && quotedValue !== undefined) {
      query.operator(negatedKey === '-', key, clean(quotedValue), whole);
    } else if (phrase !== undefined) {
      const value = clean(phrase);
      if (value && negatedPhrase === '-') query.exclude(value, whole);
      else if (value) query.term({ kind: 'phrase', value });
    } else if (word !== undefined) {
      query.word(word);
    }
  }
  return query.build();
}
