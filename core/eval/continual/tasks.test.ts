import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTask } from './tasks.ts';
import { FIXTURE_DATASETS } from './testing/fixtureRun.ts';

const TOPICS_A = FIXTURE_DATASETS[0]!;

describe('loadTask', () => {
  it('reads train and test judgements from their splits, whole when uncapped', async () => {
    const task = await loadTask(TOPICS_A, 0, {}, 1);
    expect(task.key).toBe('t1-topics-a');
    expect(task.trainSource).toEqual({ kind: 'split', split: 'train' });
    expect([task.docs.length, task.trainQueries.length, task.testQueries.length]).toEqual([24, 18, 12]);
    expect(task.droppedJudgements).toBe(0);
  });

  it('caps docs and queries, keeps a relevant doc for every kept query and counts what it drops', async () => {
    const sample = { maxDocs: 9, maxTrainQueries: 5, maxTestQueries: 4 };
    const task = await loadTask(TOPICS_A, 0, sample, 1);
    expect(task.docs).toHaveLength(9);
    expect(task.testQueries.length).toBeGreaterThan(0);
    expect(task.testQueries.length).toBeLessThanOrEqual(4);
    expect(task.trainQueries.length).toBeLessThanOrEqual(5);
    const ids = new Set(task.docs.map((doc) => doc.id));
    for (const qrels of [task.testQrels, task.trainQrels]) {
      for (const grades of qrels.values()) {
        expect([...grades.keys()].every((id) => ids.has(id))).toBe(true);
        expect([...grades.values()].some((grade) => grade > 0)).toBe(true);
      }
    }
    // 9 queries judge 2 docs each; only 6 relevant docs fit in two thirds of 9.
    expect(task.droppedJudgements).toBeGreaterThan(0);
    expect(await loadTask(TOPICS_A, 0, sample, 1)).toEqual(task);
    expect((await loadTask(TOPICS_A, 0, sample, 2)).testQueries).not.toEqual(task.testQueries);
  });

  it('splits the test queries by id hash when the dataset has no training split', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'driftless-task-'));
    try {
      await cp(TOPICS_A, dir, { recursive: true, filter: (source) => !source.endsWith('train.tsv') });
      const task = await loadTask(dir, 1, {}, 1);
      expect(task.trainSource).toEqual({ kind: 'hash', split: 'test', testRatio: 0.5, seed: 'continual-1' });
      const train = new Set(task.trainQueries.map((query) => query.id));
      expect(task.testQueries.some((query) => train.has(query.id))).toBe(false);
      expect(train.size + task.testQueries.length).toBe(12);
      expect(train.size).toBeGreaterThan(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
