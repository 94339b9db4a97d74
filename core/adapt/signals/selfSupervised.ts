import type { SeededRandom } from '../../base/index.ts';
import { normaliseSpace } from './quality.ts';
import type { NoteDocument, NoteSection, TrainingPair } from './types.ts';

export interface SelfSupervisedOptions {
  /** Sentence -> passage pairs per note at most. */
  sentencesPerNote: number;
  /** Cropped-span pairs per note at most. */
  cropsPerNote: number;
  /** Longest passage built from a note's body, in characters. */
  maxPassageChars: number;
}

export const DEFAULT_SELF_SUPERVISED: SelfSupervisedOptions = {
  sentencesPerNote: 2,
  cropsPerNote: 1,
  maxPassageChars: 1500,
};

const pair = (query: string, positive: string, source: TrainingPair['source']): TrainingPair => ({
  query: normaliseSpace(query),
  positive: normaliseSpace(positive),
  negatives: [],
  source,
});

/**
 * A section's text without the heading line it starts with (the chunker keeps the heading in the
 * chunk): a pair whose query is copied into its passage would teach nothing.
 */
export function sectionBody(section: NoteSection): string {
  const heading = section.headingPath.at(-1);
  const text = section.text.trim();
  return heading && text.startsWith(heading) ? text.slice(heading.length).trim() : text;
}

/** Every section under a heading, queried by that heading. */
export function headingPairs(note: NoteDocument): TrainingPair[] {
  return note.sections.flatMap((section) => {
    const heading = section.headingPath.at(-1);
    return heading && heading !== note.title ? [pair(heading, sectionBody(section), 'heading')] : [];
  });
}

/** The note's title queries the start of its body. */
export function titlePairs(note: NoteDocument, maxChars: number): TrainingPair[] {
  const body = note.sections.map(sectionBody).filter(Boolean).join('\n');
  return note.title && body ? [pair(note.title, body.slice(0, maxChars), 'title')] : [];
}

/** Splits at sentence ends (., !, ? followed by space) and line breaks. */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((sentence) => sentence.trim())
    .filter(Boolean);
}

/** A sentence queries its surrounding passage, with the sentence itself cut out (the inverse cloze task). */
export function sentencePairs(note: NoteDocument, perNote: number, random: SeededRandom): TrainingPair[] {
  const candidates = note.sections.flatMap((section) => {
    const parts = sentences(sectionBody(section));
    return parts.length >= 3 ? parts.map((_, i) => ({ parts, i })) : [];
  });
  return random.sample(candidates, perNote).map(({ parts, i }) => {
    const context = [...parts.slice(Math.max(0, i - 2), i), ...parts.slice(i + 1, i + 3)].join(' ');
    return pair(parts[i]!, context, 'sentence');
  });
}

/** Two random crops of one section: a short one queries a longer, independent one. */
export function cropPairs(note: NoteDocument, perNote: number, random: SeededRandom): TrainingPair[] {
  const bodies = note.sections.map(sectionBody).filter((body) => body.split(/\s+/).length >= 24);
  return random.sample(bodies, perNote).map((body) => {
    const words = body.split(/\s+/);
    return pair(crop(words, 6, 12, random), crop(words, 16, 64, random), 'crop');
  });
}

function crop(words: readonly string[], min: number, max: number, random: SeededRandom): string {
  const length = Math.min(words.length, min + random.int(max - min + 1));
  const start = random.int(words.length - length + 1);
  return words.slice(start, start + length).join(' ');
}

/** Every self-supervised pair of a note, before quality filtering. */
export function selfSupervisedPairs(
  note: NoteDocument,
  random: SeededRandom,
  options: SelfSupervisedOptions = DEFAULT_SELF_SUPERVISED,
): TrainingPair[] {
  return [
    ...headingPairs(note),
    ...titlePairs(note, options.maxPassageChars),
    ...sentencePairs(note, options.sentencesPerNote, random),
    ...cropPairs(note, options.cropsPerNote, random),
  ];
}
