import fs from 'node:fs/promises';
import { Tokenizer } from '@huggingface/tokenizers';
import { DriftlessError } from '../base/index.ts';

/** A padded batch of token ids, row-major [rows, length]. */
export interface TokenBatch {
  rows: number;
  length: number;
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  /** 1 for real tokens, 0 for padding; the same as attentionMask as numbers, for pooling. */
  mask: Uint8Array;
}

async function readJson(file: string, what: string): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new DriftlessError(
      'CORRUPT',
      `The ${what} ${file} cannot be read as JSON.`,
      { file },
      { cause: error },
    );
  }
}

/** A Hugging Face `tokenizer.json` with truncation to a token limit and per-batch padding. */
export class TextTokenizer {
  readonly #inner: Tokenizer;
  readonly #padId: number;

  private constructor(inner: Tokenizer, padId: number) {
    this.#inner = inner;
    this.#padId = padId;
  }

  /**
   * @throws DriftlessError CORRUPT when a file is not valid JSON or not a tokenizer.
   */
  static async load(tokenizerFile: string, configFile?: string): Promise<TextTokenizer> {
    const json = await readJson(tokenizerFile, 'tokenizer');
    const config = configFile ? await readJson(configFile, 'tokenizer config') : {};
    let inner: Tokenizer;
    try {
      inner = new Tokenizer(json, config);
    } catch (error) {
      throw new DriftlessError(
        'CORRUPT',
        `The tokenizer ${tokenizerFile} is not supported: ${(error as Error).message}`,
        { file: tokenizerFile },
        { cause: error },
      );
    }
    const padToken = typeof config.pad_token === 'string' ? config.pad_token : '[PAD]';
    return new TextTokenizer(inner, inner.token_to_id(padToken) ?? inner.token_to_id('<pad>') ?? 0);
  }

  /** Token ids including special tokens, not truncated. */
  ids(text: string): number[] {
    return this.#inner.encode(text).ids;
  }

  /** Tokens a text adds when placed inside another text (no special tokens), e.g. a prefix. */
  countBare(text: string): number {
    return text.length === 0 ? 0 : this.#inner.encode(text, { add_special_tokens: false }).ids.length;
  }

  /** Ids cut to `maxTokens`, keeping a closing special token such as [SEP] at the end. */
  truncatedIds(text: string, maxTokens: number): number[] {
    const ids = this.ids(text);
    if (ids.length <= maxTokens) return ids;
    const last = ids[ids.length - 1] as number;
    const closesWithSpecial = this.#inner.get_added_tokens_decoder().get(last)?.special === true;
    return closesWithSpecial ? [...ids.slice(0, maxTokens - 1), last] : ids.slice(0, maxTokens);
  }

  /** Pads token id rows to the longest row. */
  pad(rows: readonly number[][]): TokenBatch {
    const length = Math.max(1, ...rows.map((r) => r.length));
    const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(this.#padId));
    const attentionMask = new BigInt64Array(rows.length * length);
    const mask = new Uint8Array(rows.length * length);
    rows.forEach((row, r) => {
      row.forEach((id, t) => {
        inputIds[r * length + t] = BigInt(id);
        attentionMask[r * length + t] = 1n;
        mask[r * length + t] = 1;
      });
    });
    return { rows: rows.length, length, inputIds, attentionMask, mask };
  }
}
