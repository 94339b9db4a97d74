/** The special tokens of the fixture vocabulary, in id order (BERT's convention puts [PAD] at 0). */
export const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'] as const;

const WORDS = `the of and to in is for on with as by at from that this it be are was or an not can
which will has have more most all one two three new old note notes search find query document documents
passage passages text word words sentence sentences model models vector vectors index encoder version
drift learn learning train training data file files folder read write open close day week year time
cell cells protein gene genes brain heart blood study studies result results method methods effect
patient patients disease risk high low large small first last long short good bad fast slow simple
water light energy power city river mountain forest tree trees book books music film story game
people person man woman child children friend family home house school work job money market price
what when where who why how do does did make made use used using run runs running relevant
represent representing retrieval for some any each every many much very also only just than then
language english meeting project plan plans idea ideas question questions answer answers`;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789'.split('');
const SUFFIXES = ['s', 'es', 'ed', 'ing', 'ly', 'er', 'est', 'ion', 'tion', 'al', 'ment', 'ness', 'y'];
const PUNCTUATION = '.,:;!?\'"()-/'.split('');

/** The fixture's WordPiece vocabulary: specials, words, single characters and common subwords. */
export function tinyVocabulary(): string[] {
  const words = WORDS.split(/\s+/).filter((w) => w.length > 0);
  const pieces = [...LETTERS.map((c) => `##${c}`), ...SUFFIXES.map((s) => `##${s}`)];
  return [...new Set([...SPECIAL_TOKENS, ...words, ...LETTERS, ...PUNCTUATION, ...pieces])];
}

function specialToken(content: string, id: number) {
  return { id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
}

function template(id: string) {
  return { SpecialToken: { id, type_id: 0 } };
}

/** A real BERT-style `tokenizer.json` (BertNormalizer, BertPreTokenizer, WordPiece, [CLS] $A [SEP]). */
export function tinyTokenizerJson(vocabulary: readonly string[]): Record<string, unknown> {
  const vocab = Object.fromEntries(vocabulary.map((token, id) => [token, id]));
  const idOf = (token: string) => vocabulary.indexOf(token);
  const specials = (token: string) => ({ id: token, ids: [idOf(token)], tokens: [token] });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL_TOKENS.map((token) => specialToken(token, idOf(token))),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [template('[CLS]'), { Sequence: { id: 'A', type_id: 0 } }, template('[SEP]')],
      pair: [
        template('[CLS]'),
        { Sequence: { id: 'A', type_id: 0 } },
        template('[SEP]'),
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: { '[CLS]': specials('[CLS]'), '[SEP]': specials('[SEP]') },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab,
    },
  };
}

/** The `tokenizer_config.json` that accompanies the fixture tokenizer. */
export function tinyTokenizerConfig(maxTokens: number): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxTokens,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  };
}
