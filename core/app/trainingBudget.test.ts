import fs from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FIXTURE_ADAPTATION_PROMOTING,
  linearAppOptions,
  LinearTrainer,
  topicNotes,
  writeMarkdownNotes,
} from '../adapt/testing/index.ts';
import { dispatch } from '../service/index.ts';
import { makeTempDir } from '../testing/index.ts';
import { openApp, type App } from './index.ts';

/**
 * The training time budget setting through the app: validated where every transport enters
 * (dispatch), stored in settings.json, and the budget the next adaptation plans its steps with. The
 * linear fixture trainer plans as the product's does, on a clock where each step takes a minute.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let app: App;

const dataDir = () => path.join(temp.dir, 'data');
const open = () =>
  openApp({
    dataDir: dataDir(),
    ...linearAppOptions(new LinearTrainer({ msPerStep: 60_000 }), FIXTURE_ADAPTATION_PROMOTING),
  });

beforeEach(async () => {
  temp = await makeTempDir('driftless-training-budget-');
  app = await open();
});
afterEach(async () => {
  await app.close();
  await temp.remove();
});

describe('the training time budget setting', () => {
  it('is 20 minutes by default and refuses budgets outside 5 to 240 whole minutes, saying why', async () => {
    const { adaptation } = await app.api.getSettings({});
    expect(adaptation.trainingMinutes).toBe(20);
    const refusals: Array<[unknown, string]> = [
      [4, 'The training time budget (minutes) must be at least 5.'],
      [241, 'The training time budget (minutes) must be at most 240.'],
      [12.5, 'The training time budget (minutes) must be a whole number.'],
      ['30', 'The training time budget (minutes) needs a number.'],
      [null, 'The training time budget (minutes) needs a number.'],
    ];
    for (const [trainingMinutes, sentence] of refusals) {
      const envelope = await dispatch(app.api, 'updateSettings', {
        settings: { adaptation: { ...adaptation, trainingMinutes } },
      });
      expect(envelope).toMatchObject({
        ok: false,
        error: {
          code: 'INVALID_ARGUMENT',
          message: sentence,
          details: { issues: [{ path: 'settings.adaptation.trainingMinutes', message: sentence }] },
        },
      });
    }
    expect((await app.api.getSettings({})).adaptation.trainingMinutes).toBe(20);

    const saved = await dispatch(app.api, 'updateSettings', {
      settings: { adaptation: { ...adaptation, trainingMinutes: 45 } },
    });
    expect(saved).toMatchObject({ ok: true, value: { adaptation: { trainingMinutes: 45 } } });
    await app.close();
    app = await open();
    expect((await app.api.getSettings({})).adaptation.trainingMinutes).toBe(45);
  });

  it('resets a stored budget out of bounds to the default, keeping the other settings', async () => {
    await app.close();
    const file = path.join(dataDir(), 'settings.json');
    await fs.writeFile(
      file,
      JSON.stringify({ theme: 'dark', adaptation: { trainingMinutes: 1, afterNewNotes: 7 } }),
    );
    app = await open();
    const settings = await app.api.getSettings({});
    expect(settings).toMatchObject({ theme: 'dark', adaptation: { trainingMinutes: 20, afterNewNotes: 7 } });
  });

  it('is the budget the next adaptation plans its steps with', async () => {
    await addTopicNotes();
    const { adaptation } = await app.api.getSettings({});
    await app.api.updateSettings({ settings: { adaptation: { ...adaptation, trainingMinutes: 12 } } });
    await expectTwelveMinutePlan();
  });

  it("is another process's budget when it changed it while this app runs (`driftless settings set`)", async () => {
    await addTopicNotes();
    const other = await open();
    try {
      const { adaptation } = await other.api.getSettings({});
      await other.api.updateSettings({ settings: { adaptation: { ...adaptation, trainingMinutes: 12 } } });
    } finally {
      await other.close();
    }
    await expectTwelveMinutePlan();
  });
});

async function addTopicNotes(): Promise<void> {
  const notes = path.join(temp.dir, 'notes');
  await writeMarkdownNotes(notes, topicNotes(36));
  await app.api.addFolder({ path: notes });
  await app.idle();
}

async function expectTwelveMinutePlan(): Promise<void> {
  await app.api.startAdaptation({});
  await app.idle();
  const v1 = (await app.api.listVersions({})).find((version) => version.version === 'v1');
  // 20 steps configured at a minute each: the three timed steps leave 9 minutes of the 12, so
  // 12 steps in all (the 20-minute default would have fitted all 20).
  expect(v1?.stepPlan).toEqual({
    steps: 12,
    configuredSteps: 20,
    maxMinutes: 12,
    msPerStep: 60_000,
    backend: 'fixture-linear',
    reason: '20 steps planned; 12 fit the 12-minute budget at 60 s/step on fixture-linear',
  });
}
