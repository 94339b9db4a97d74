import type { TrainingPair } from '../types.ts';

/** One chunk of a note as the signal extractors see it. */
export interface NoteSection {
  /** The chunk's content id, when the section is a stored chunk. */
  chunkId?: string;
  headingPath: string[];
  text: string;
}

/** A note as stored in the index: its title and its chunks in order. */
export interface NoteDocument {
  folderId: string;
  notePath: string;
  title: string;
  sections: NoteSection[];
  /** The encoder version its rows were embedded with. */
  encoderVersion: string;
}

/** Bounds on query and passage length in characters; pairs outside them teach nothing useful. */
export interface QualityBounds {
  minQueryChars: number;
  maxQueryChars: number;
  minPassageChars: number;
  maxPassageChars: number;
}

export const DEFAULT_QUALITY: QualityBounds = {
  minQueryChars: 8,
  maxQueryChars: 300,
  minPassageChars: 40,
  maxPassageChars: 2000,
};

export type { TrainingPair };
