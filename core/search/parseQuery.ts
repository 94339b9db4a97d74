import type { SearchFilters } from './filters.ts';

/** A search box query split into free text, exact phrases and filters. */
export interface ParsedQuery {
  /** The words to search for, phrases included (unquoted), operators removed. */
  text: string;
  /** Quoted phrases, in order. */
  phrases: string[];
  filters: SearchFilters;
}

const TOKEN = /([A-Za-z]+):"([^"]*)"?|"([^"]*)"?|(\S+)/g;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight at the start of a YYYY-MM-DD day, shifted by `addDays`; undefined when invalid. */
function dayStartMs(value: string, addDays = 0): number | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day);
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day)
    return undefined;
  date.setDate(date.getDate() + addDays);
  return date.getTime();
}

/** Applies one `key:value` operator to the filters; false when it is not an operator (then it is text). */
function applyOperator(filters: SearchFilters, key: string, value: string): boolean {
  if (!value) return false;
  switch (key.toLowerCase()) {
    case 'tag':
      filters.tags = [...(filters.tags ?? []), value.replace(/^#/, '')];
      return true;
    case 'folder':
      filters.folderIds = [...(filters.folderIds ?? []), value];
      return true;
    case 'path':
      filters.pathGlob = value;
      return true;
    case 'after': {
      // "after" a day means from the next day on.
      const ms = dayStartMs(value, 1);
      if (ms !== undefined) filters.modifiedAfterMs = ms;
      return ms !== undefined;
    }
    case 'before': {
      const ms = dayStartMs(value);
      if (ms !== undefined) filters.modifiedBeforeMs = ms;
      return ms !== undefined;
    }
    default:
      return false;
  }
}

function applyWord(word: string, filters: SearchFilters): boolean {
  const hashTag = /^#([\p{L}\p{N}_\-/]+)$/u.exec(word);
  if (hashTag?.[1]) return applyOperator(filters, 'tag', hashTag[1]);
  const operator = /^([A-Za-z]+):(.+)$/.exec(word);
  return operator?.[1] && operator[2] ? applyOperator(filters, operator[1], operator[2]) : false;
}

/**
 * Parses `tag:foo`, `#foo`, `folder:<id>`, `path:<glob>`, `after:YYYY-MM-DD`, `before:YYYY-MM-DD`
 * (local days; `after` excludes the day itself, `before` too) and `"exact phrase"`; operators take a
 * quoted value too (`path:"My Notes/**"`). Anything else, including unknown `key:value`, is text.
 */
export function parseQuery(raw: string): ParsedQuery {
  const filters: SearchFilters = {};
  const phrases: string[] = [];
  const words: string[] = [];
  for (const match of raw.matchAll(TOKEN)) {
    const [whole, key, quotedValue, phrase, word] = match;
    if (key !== undefined && quotedValue !== undefined) {
      if (!applyOperator(filters, key, quotedValue.trim())) words.push(whole);
    } else if (phrase !== undefined) {
      const trimmed = phrase.trim().replace(/\s+/g, ' ');
      if (trimmed) {
        phrases.push(trimmed);
        words.push(trimmed);
      }
    } else if (word !== undefined && !applyWord(word, filters)) {
      words.push(word);
    }
  }
  return { text: words.join(' '), phrases, filters };
}
