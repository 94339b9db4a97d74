import fs from 'node:fs/promises';
import path from 'node:path';
import type { NoteSpec } from '../../testing/index.ts';

/** Each topic: words its bodies use, and alias words that only its titles and headings use. */
const TOPICS: Array<[string, string[], string[]]> = [
  [
    'Sourdough',
    ['starter', 'flour', 'levain', 'crumb', 'crust', 'proofing', 'hydration', 'loaf'],
    ['bread', 'oven', 'dough', 'yeast'],
  ],
  [
    'Kubernetes',
    ['pod', 'deployment', 'replica', 'ingress', 'namespace', 'kubelet', 'helm', 'node'],
    ['cluster', 'container', 'orchestration', 'cloud'],
  ],
  [
    'Garden',
    ['tomato', 'compost', 'aphid', 'seedling', 'trellis', 'mulch', 'harvest', 'soil'],
    ['vegetables', 'plants', 'growing', 'backyard'],
  ],
  [
    'Marathon',
    ['tempo', 'interval', 'mileage', 'taper', 'stride', 'cadence', 'recovery', 'pace'],
    ['running', 'race', 'endurance', 'jogging'],
  ],
  [
    'Espresso',
    ['grinder', 'portafilter', 'crema', 'tamp', 'shot', 'roast', 'extraction', 'milk'],
    ['coffee', 'barista', 'caffeine', 'beans'],
  ],
  [
    'Taxes',
    ['receipt', 'deduction', 'invoice', 'audit', 'refund', 'filing', 'ledger', 'expense'],
    ['money', 'paperwork', 'accounting', 'irs'],
  ],
  [
    'Guitar',
    ['chord', 'fret', 'scale', 'strumming', 'capo', 'tuning', 'riff', 'metronome'],
    ['music', 'instrument', 'practice', 'song'],
  ],
  [
    'Rust',
    ['borrow', 'lifetime', 'trait', 'cargo', 'crate', 'ownership', 'enum', 'macro'],
    ['programming', 'compiler', 'language', 'code'],
  ],
  [
    'Birds',
    ['warbler', 'binoculars', 'heron', 'migration', 'plumage', 'nest', 'finch', 'owl'],
    ['wildlife', 'nature', 'ornithology', 'watching'],
  ],
  [
    'Network',
    ['router', 'subnet', 'firewall', 'dhcp', 'vlan', 'wifi', 'switch', 'gateway'],
    ['internet', 'connection', 'lan', 'networking'],
  ],
  [
    'Pottery',
    ['clay', 'kiln', 'glaze', 'wheel', 'slip', 'bisque', 'trimming', 'wedging'],
    ['ceramics', 'craft', 'studio', 'vessels'],
  ],
  [
    'Chess',
    ['gambit', 'castling', 'pawn', 'bishop', 'sicilian', 'endgame', 'fianchetto', 'rook'],
    ['board', 'strategy', 'tournament', 'openings'],
  ],
];

const FILLER = ['today', 'remember', 'the', 'notes', 'about', 'really', 'check', 'again', 'with', 'some'];

/** Deterministic word choice: the i-th pick from a list by a simple hash of (a, b). */
function pick(words: readonly string[], a: number, b: number): string {
  return words[(a * 31 + b * 17 + a * b) % words.length]!;
}

function sentence(words: readonly string[], a: number, b: number): string {
  const parts = Array.from({ length: 9 }, (_, k) =>
    k % 3 === 2 ? pick(FILLER, a + k, b) : pick(words, a + k, b + k),
  );
  return `${parts.join(' ')}.`;
}

/**
 * TEST FIXTURE. Notes on distinct topics, each with headed sections of several sentences built
 * from the topic's words. Titles and headings use the topic's alias words, which bodies never
 * contain: a vocabulary gap that only training (a learned map from alias to body words) can close.
 * `offset` picks a different slice of topics and word combinations for "new" notes.
 */
export function topicNotes(count: number, offset = 0, folderId = 'f1'): NoteSpec[] {
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const [topic, words, aliases] = TOPICS[i % TOPICS.length]!;
    const sections = [0, 1, 2].map((s) => ({
      heading: [`${pick(aliases, i, s)} ${pick(aliases, i + 1, s + 2)} ideas`],
      text: [0, 1, 2, 3].map((k) => sentence(words, i + s, k + s * 4)).join(' '),
    }));
    return {
      folderId,
      notePath: `notes/${i}.md`,
      title: `${topic} ${Math.floor(i / TOPICS.length) + 1}`,
      sections,
    };
  });
}

export const TOPIC_COUNT = TOPICS.length;

/** Writes each note as a Markdown file under `folder`: its title as the first heading, then each section under its own. */
export async function writeMarkdownNotes(folder: string, specs: readonly NoteSpec[]): Promise<void> {
  for (const spec of specs) {
    const sections = spec.sections.map((section) =>
      typeof section === 'string' ? section : `## ${section.heading.join(' ')}\n\n${section.text}`,
    );
    const file = path.join(folder, spec.notePath);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, `# ${spec.title}\n\n${sections.join('\n\n')}\n`);
  }
}
