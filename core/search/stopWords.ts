/**
 * English function words: too common to be worth highlighting on their own ("what did her
 * sourdough do" highlights "sourdough"). Question words, pronouns, auxiliaries, articles,
 * prepositions and conjunctions, after the usual IR stop lists (Lucene, NLTK), lowercased.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    'a an the and or but nor so yet if then than as of at by for from in into onto on off out over',
    'under up down to with without within about above below after before between through during',
    'again further once here there when where why how what which who whom whose this that these',
    'those am is are was were be been being have has had having do does did doing done will would',
    'shall should can could may might must i me my mine myself we us our ours ourselves you your',
    'yours yourself yourselves he him his himself she her hers herself it its itself they them',
    'their theirs themselves all any both each few more most other some such no not only own same',
    'too very just also s t d ll m re ve don doesn didn isn wasn aren weren won wouldn shouldn',
  ]
    .join(' ')
    .split(' '),
);

/** The words worth highlighting: all but stop words, or all of them when nothing else is left. */
export function contentWords(words: readonly string[]): string[] {
  const content = words.filter((word) => !STOP_WORDS.has(word));
  return content.length ? content : [...words];
}
