import { DriftlessError } from '../base/index.ts';
import type { IndexDamage, StatusInfo } from '../service/contract.ts';

/** What `status` reads from the index itself; the rest of it needs no index. */
export type IndexCounts = Pick<
  StatusInfo,
  'notes' | 'chunks' | 'rowsByVersion' | 'indexBytes' | 'versionProblems' | 'indexDamaged'
>;

const REBUILD =
  'Run `driftless repair`, or Repair in the window, to rebuild it from your notes; the damaged files are ' +
  'moved aside, never deleted, and feedback, pins, versions and settings are kept.';
const REIMPORT = 'Run `driftless repair`, or Repair in the window, to import your folders into a new index.';

/**
 * The index part of `status`, reading through damage: status is where a person looks when search
 * fails, so a damaged index (INDEX_DAMAGED) is reported there with what to do, never as a failed
 * status. `setAsideTo`: where this process moved an index it could not open (until repaired).
 */
export async function indexCounts(
  read: () => Promise<IndexCounts>,
  setAsideTo: string | undefined,
): Promise<IndexCounts> {
  let counts: IndexCounts;
  try {
    counts = await read();
  } catch (error) {
    if (!(error instanceof DriftlessError) || error.code !== 'INDEX_DAMAGED') throw error;
    return { notes: 0, chunks: 0, rowsByVersion: {}, indexBytes: 0, indexDamaged: damageOf(error) };
  }
  if (setAsideTo === undefined) return counts;
  const problem = `The search index could not be read and was moved aside to ${setAsideTo}; the index in use is empty.`;
  return { ...counts, indexDamaged: { problem, hint: REIMPORT, setAsideTo } };
}

function damageOf(error: DriftlessError): IndexDamage {
  const { table, reason } = error.details ?? {};
  const problem =
    typeof table === 'string' && typeof reason === 'string'
      ? `The search index is damaged: its ${table} table cannot be read (${reason}).`
      : error.message;
  return { problem, hint: REBUILD };
}
