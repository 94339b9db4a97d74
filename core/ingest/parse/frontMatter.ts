import { parseDocument } from 'yaml';
import { unique } from './noteBuilder.ts';

/** What Driftless reads from a note's YAML front matter. */
export interface FrontMatter {
  title?: string;
  tags: string[];
  aliases: string[];
  created?: string;
  updated?: string;
}

export interface FrontMatterSplit {
  /** Undefined when there is no front matter or it is not a YAML mapping. */
  data?: FrontMatter;
  /** The Markdown after the front matter, or the whole source when there is none. */
  body: string;
  /** The raw front matter when it could not be read, so its words stay searchable as text. */
  unreadable?: string;
}

/** `---` on the first line, then YAML, then `---` or `...` on a line of its own. */
const FENCE = /^---[ \t]*\n(?:([\s\S]*?)\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/** Splits `---` YAML front matter off a normalized Markdown source; malformed YAML never throws. */
export function splitFrontMatter(source: string): FrontMatterSplit {
  const match = FENCE.exec(source);
  if (!match) return { body: source };
  const raw = match[1] ?? '';
  const body = source.slice(match[0].length);
  const value = readYaml(raw);
  if (value === null) return { body, data: { tags: [], aliases: [] } };
  if (!isRecord(value)) return { body, unreadable: raw };
  return { body, data: toFrontMatter(value) };
}

/** The YAML value, null for an empty document, or undefined when the YAML is malformed. */
function readYaml(raw: string): unknown {
  if (!raw.trim()) return null;
  try {
    const doc = parseDocument(raw, { uniqueKeys: false, prettyErrors: false });
    return doc.errors.length > 0 ? undefined : (doc.toJS({ maxAliasCount: 100 }) as unknown);
  } catch {
    return undefined;
  }
}

function toFrontMatter(data: Record<string, unknown>): FrontMatter {
  const title =
    typeof data.title === 'string' || typeof data.title === 'number' ? String(data.title).trim() : '';
  return {
    ...(title ? { title } : {}),
    tags: unique(
      stringList(data.tags ?? data.tag, /[,\s]+/)
        .map((tag) => tag.replace(/^#/, ''))
        .filter(Boolean),
    ),
    aliases: unique(stringList(data.aliases ?? data.alias, /,/)),
    ...optionalDate('created', data.created ?? data.date),
    ...optionalDate('updated', data.updated ?? data.modified ?? data.lastmod),
  };
}

/** A YAML list, or a string split by `separator`, as trimmed strings. */
function stringList(value: unknown, separator: RegExp): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => stringList(item, separator));
  if (typeof value === 'number') return [String(value)];
  if (typeof value !== 'string') return [];
  return value
    .split(separator)
    .map((item) => item.trim())
    .filter(Boolean);
}

function optionalDate(key: 'created' | 'updated', value: unknown): Partial<FrontMatter> {
  const iso = toIsoDate(value);
  return iso ? { [key]: iso } : {};
}

function toIsoDate(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = Date.parse(String(value));
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
