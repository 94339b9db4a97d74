import { FeatureHashingEncoder, makeNoteWrites, makeTempDir } from '../testing/index.ts';
import { searchNotes } from '../search/index.ts';
import { NoteIndex } from './noteIndex.ts';
const enc = new FeatureHashingEncoder({ dimensions: 384 });
const vocab = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 10007}`);
const t = await makeTempDir();
const idx = await NoteIndex.open(t.dir, { dimensions: 384 });
let s = Date.now();
for (let b = 0; b < 10; b++) {
  const specs = Array.from({ length: 500 }, (_, i) => ({ notePath: `d${b}/n${i}.md`, sections: Array.from({ length: 4 }, (_, j) => Array.from({ length: 60 }, (_, k) => vocab[(b * 131 + i * 17 + j * 7 + k * k) % 3000]).join(' ')) }));
  await idx.writeNotes(await makeNoteWrites(enc, specs));
}
console.log('write 5000 notes / 20000 chunks ms', Date.now() - s);
for (const mode of ['dense', 'text', 'hybrid', 'hybrid'] as const) {
  s = Date.now(); const r = await searchNotes(idx, enc, { query: 'w17 w2000 w555', mode }); console.log(mode, 'ms', Date.now() - s, r.hits.length);
}
s = Date.now(); await idx.writeNotes(await makeNoteWrites(enc, [{ notePath: 'd0/n1.md', sections: ['edited'] }])); console.log('single edit ms', Date.now() - s);
s = Date.now(); await idx.optimize(); console.log('optimize ms', Date.now() - s);
s = Date.now(); const r = await searchNotes(idx, enc, { query: 'w17 w2000 w555' }); console.log('hybrid after optimize ms', Date.now() - s, r.hits.length);
s = Date.now(); console.log(await idx.countRowsByVersion(), await idx.stats(), 'ms', Date.now() - s);
s = Date.now(); await idx.close(); const i2 = await NoteIndex.open(t.dir, { dimensions: 384 }); console.log('reopen+repair ms', Date.now() - s); await i2.close();
await t.remove();
