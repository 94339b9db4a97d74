import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TokenCounter } from '../types.ts';
import { PieceTrie } from './trie.ts';
import type { Piece } from './trie.ts';

/** A sentencepiece vocabulary as shipped: [piece, log-probability score]; some scores are null. */
export type Vocabulary = ReadonlyArray<readonly [string, number | null]>;

/** The word-boundary marker sentencepiece puts in front of every word. */
export const WORD_SEPARATOR = '\u2581';
/** Pieces below this index are unk, control and user-defined symbols; they never match text. */
const RESERVED_PIECES = 6;
/** The id of the unknown piece. */
export const UNKNOWN_ID = 0;
/** USE-lite's graph clips every input to this many tokens (its ClipToMaxLength constant). */
export const USE_LITE_MAX_TOKENS = 128;
/**
 * Bumped whenever `encode` changes how some text is tokenized (1: case folding), so that rows embedded
 * under an earlier revision can be found and embedded again.
 */
export const TOKENIZER_REVISION = 1;
/**
 * Above this share of upper-case letters, with at least MIN_CAPS_WORDS words in capitals, a text
 * counts as written in capitals and is lowercased whole (a query 'USA', or a sentence with a few
 * acronyms, does not). Chosen on training and dev queries: lowercasing each all-caps word the
 * vocabulary lacks cost 1 to 2.4 points of nDCG@10 on SciFact, NFCorpus and ArguAna (gene names and
 * acronyms read better as the model learned them), and a share of 0.5 lowercased NFCorpus chunks
 * that are mostly headings (-1.8); these thresholds change none of them and still fold text set in
 * capitals, where the vocabulary's pieces give noise.
 */
const MOSTLY_CAPS = 0.8;
const MIN_CAPS_WORDS = 5;
/** A word of two or more capitals with no letter or digit around it. */
const CAPS_WORD = /(?<![\p{L}\p{N}])\p{Lu}{2,}(?![\p{L}\p{N}])/gu;

/**
 * The sentencepiece tokenizer of Universal Sentence Encoder Lite: NFKC, a '▁' before the text and
 * in place of each space, Viterbi over piece scores, one unknown id per run of unmatched symbols.
 * `encodeRaw` reproduces the reference JavaScript tokenizer exactly (its tie-breaking included);
 * `encode` first folds whitespace runs to one space, as sentencepiece's own normaliser does, so
 * newlines and tabs do not become unknown tokens, and folds the case the vocabulary cannot represent
 * (`foldCase`).
 */
export class UseLiteTokenizer implements TokenCounter {
  private readonly trie = new PieceTrie();
  /** Whole words the vocabulary has a piece for, e.g. '▁USA': acronyms it learned in capitals. */

  constructor(
    private readonly vocabulary: Vocabulary,
    readonly maxTokens: number = USE_LITE_MAX_TOKENS,
  ) {
    for (let id = RESERVED_PIECES; id < vocabulary.length; id++) {
      const entry = vocabulary[id];
      // A null score behaves as 0, as it did in the reference (null + n === n).
      if (!entry) continue;
      this.trie.insert(entry[0], entry[1] ?? 0, id);
    }
  }

  /** Loads the vocabulary file shipped beside the model. */
  static async load(vocabularyPath: string, maxTokens?: number): Promise<UseLiteTokenizer> {
    const vocabulary = JSON.parse(await readFile(path.resolve(vocabularyPath), 'utf8')) as Vocabulary;
    return new UseLiteTokenizer(vocabulary, maxTokens);
  }

  get vocabularySize(): number {
    return this.vocabulary.length;
  }

  /** The piece text of an id ('' for ids outside the vocabulary). */
  pieceOf(id: number): string {
    return this.vocabulary[id]?.[0] ?? '';
  }

  /** Token ids of `text` after whitespace and case folding, not truncated. */
  encode(text: string): number[] {
    return this.encodeRaw(this.foldCase(foldWhitespace(text)));
  }

  /**
   * Lowercases text set in capitals. The vocabulary's 8,000 pieces are nearly all lower-case or
   * capitalised words, so a text in capitals falls apart into letter pieces and embeds as noise.
   * Acronyms and capitals inside ordinary text are left as they are (see MOSTLY_CAPS).
   */
  foldCase(text: string): string {
    const upper = text.match(/\p{Lu}/gu)?.length ?? 0;
    if (upper === 0) return text;
    const lower = text.match(/\p{Ll}/gu)?.length ?? 0;
    const capsWords = text.match(CAPS_WORD)?.length ?? 0;
    return upper > MOSTLY_CAPS * (upper + lower) && capsWords >= MIN_CAPS_WORDS ? text.toLowerCase() : text;
  }

  /** Whether `encode` reads `text` differently from tokenizer revision 0 (no case folding). */
  foldsCase(text: string): boolean {
    const folded = foldWhitespace(text);
    return this.foldCase(folded) !== folded;
  }

  /** Token ids of `text` after whitespace and case folding, cut to `maxTokens`. */
  encodeTruncated(text: string): number[] {
    const ids = this.encode(text);
    return ids.length > this.maxTokens ? ids.slice(0, this.maxTokens) : ids;
  }

  /** The number of tokens `encode` gives, before truncation. */
  countTokens(text: string): number {
    return this.encode(text).length;
  }

  /** Token ids exactly as the reference tokenizer produces them for `text`. */
  encodeRaw(text: string): number[] {
    const symbols = Array.from(toPieceText(text));
    if (symbols.length === 0) return [];
    const chosen = this.viterbi(symbols);
    return mergeUnknownRuns(backtrack(chosen));
  }

  /** For each end position, the piece of the best segmentation ending there. */
  private viterbi(symbols: readonly string[]): Piece[] {
    const edgesByEnd = this.lattice(symbols);
    const best = new Float64Array(symbols.length + 1);
    const chosen: Piece[] = Array.from({ length: symbols.length + 1 }, () => UNKNOWN_PIECE);
    for (let end = 1; end <= symbols.length; end++) {
      for (const edge of edgesByEnd[end] ?? []) {
        const score = edge.piece.score + (best[edge.start] ?? 0);
        // `best === 0` means "unset" in the reference; a later edge wins a tie.
        if (best[end] === 0 || score >= (best[end] ?? 0)) {
          best[end] = score;
          chosen[end] = edge.piece;
        }
      }
    }
    return chosen;
  }

  /** All pieces matching at each start, grouped by their end, starts ascending. */
  private lattice(symbols: readonly string[]): Edge[][] {
    const edgesByEnd: Edge[][] = Array.from({ length: symbols.length + 1 }, () => []);
    for (let start = 0; start < symbols.length; start++) {
      const pieces = this.trie.prefixesAt(symbols, start);
      if (pieces.length === 0) pieces.push(UNKNOWN_PIECE);
      for (const piece of pieces) edgesByEnd[start + piece.length]?.push({ start, piece });
    }
    return edgesByEnd;
  }
}

interface Edge {
  readonly start: number;
  readonly piece: Piece;
}

const UNKNOWN_PIECE: Piece = { id: UNKNOWN_ID, score: 0, length: 1 };

/** NFKC, then '▁' before the text and in place of every space. */
function toPieceText(text: string): string {
  const normalized = text.normalize('NFKC');
  return normalized.length > 0 ? WORD_SEPARATOR + normalized.replace(/ /g, WORD_SEPARATOR) : '';
}

/** Any run of whitespace becomes one space; leading and trailing whitespace goes. */
export function foldWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

function backtrack(chosen: readonly Piece[]): number[] {
  const ids: number[] = [];
  for (let end = chosen.length - 1; end > 0; ) {
    const piece = chosen[end] ?? UNKNOWN_PIECE;
    ids.push(piece.id);
    end -= piece.length;
  }
  return ids.reverse();
}

function mergeUnknownRuns(ids: readonly number[]): number[] {
  return ids.filter((id, i) => !(id === UNKNOWN_ID && ids[i - 1] === UNKNOWN_ID));
}
