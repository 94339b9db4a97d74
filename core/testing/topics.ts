/**
 * Ten notes' worth of words on ten unrelated topics: random pairs of them are unrelated, as most
 * pairs of a person's notes are, so a relevance floor measured on them is a real floor.
 */
export const DISTINCT_TOPICS = [
  'sourdough starter flour rye hydration levain crumb bake oven loaf',
  'bicycle chain derailleur brake cable tyre pressure saddle gear spoke',
  'espresso grinder beans roast crema portafilter tamp kettle pour filter',
  'kubernetes pod container deployment node cluster service ingress helm kubectl',
  'tomato garden soil compost seedlings watering trellis harvest mulch basil',
  'piano scales arpeggio metronome tempo chords sight reading pedal sonata',
  'tax return deduction receipts invoice refund accountant pension allowance form',
  'hiking dolomites trail hut ridge boots summit descent map altitude',
  'birds heron warbler binoculars wetland migration nest feathers song dawn',
  'rust ownership borrow checker lifetime trait enum cargo crate compiler',
];
