import type { Schema } from 'apache-arrow';
import { arrow } from './arrow.ts';

const { Field, Float64, List, Utf8, Schema: ArrowSchema } = arrow;

/** One user reaction to a search result, as stored. */
export interface FeedbackRecord {
  atMs: number;
  query: string;
  kind: 'open' | 'up' | 'down' | 'pin' | 'hide';
  folderId: string;
  notePath: string;
  chunkId?: string;
  /** The ranked note keys (folderId + '/' + notePath) the user saw, top first. */
  shown: string[];
  encoderVersion: string;
}

const utf8 = (name: string, nullable = false) => new Field(name, new Utf8(), nullable);

export function feedbackSchema(): Schema {
  return new ArrowSchema([
    new Field('at_ms', new Float64(), false),
    utf8('query'),
    utf8('kind'),
    utf8('folder_id'),
    utf8('note_path'),
    utf8('chunk_id', true),
    new Field('shown', new List(new Field('item', new Utf8(), true)), false),
    utf8('encoder_version'),
  ]);
}

export function toRow(record: FeedbackRecord): Record<string, unknown> {
  return {
    at_ms: record.atMs,
    query: record.query,
    kind: record.kind,
    folder_id: record.folderId,
    note_path: record.notePath,
    chunk_id: record.chunkId ?? null,
    shown: record.shown,
    encoder_version: record.encoderVersion,
  };
}

export function fromRow(row: Record<string, unknown>): FeedbackRecord {
  const chunkId = row.chunk_id === null || row.chunk_id === undefined ? undefined : String(row.chunk_id);
  return {
    atMs: Number(row.at_ms),
    query: String(row.query),
    kind: String(row.kind) as FeedbackRecord['kind'],
    folderId: String(row.folder_id),
    notePath: String(row.note_path),
    ...(chunkId !== undefined ? { chunkId } : {}),
    shown: Array.from((row.shown ?? []) as Iterable<string>),
    encoderVersion: String(row.encoder_version),
  };
}
