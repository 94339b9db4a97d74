import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../app/types.ts';
import { openApp } from '../../app/index.ts';
import {
  FIXTURE_ADAPTATION_PROMOTING,
  linearAppOptions,
  LinearTrainer,
  topicNotes,
  writeMarkdownNotes,
} from '../../adapt/testing/index.ts';
import type { Settings } from '../../service/index.ts';
import { makeTempDir } from '../../testing/index.ts';
import { runCliWith } from '../testing.ts';

/**
 * `driftless settings` and the training budget it sets, seen in `driftless versions`: a real data
 * folder with the linear fixture encoder. The first version is trained as builds before step plans
 * did (a trainer that plans nothing), the second under the budget set from the command line.
 */
let temp: Awaited<ReturnType<typeof makeTempDir>>;
let trainer = new LinearTrainer();

// Adoption keeps no anchors, so the second run still has notes embedded by v0 to train on.
const fixtureApp = (options: AppOptions) =>
  openApp({
    ...options,
    ...linearAppOptions(trainer, { ...FIXTURE_ADAPTATION_PROMOTING, keepAnchors: false }),
  });

const run = (...argv: string[]) => runCliWith(path.join(temp.dir, 'data'), fixtureApp, ...argv);

beforeAll(async () => {
  temp = await makeTempDir('driftless-cli-settings-');
  const notes = path.join(temp.dir, 'notes');
  await writeMarkdownNotes(notes, topicNotes(36));
  expect((await run('add', notes)).code).toBe(0);
}, 60_000);
afterAll(() => temp.remove());

describe('driftless settings', () => {
  it('lists every setting by name, with the training budget at its default', async () => {
    const listed = await run('settings');
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/^adaptation\.trainingMinutes +20$/m);
    expect(listed.stdout).toMatch(/^ignore +\[\]$/m);
    const json = JSON.parse((await run('settings', '--json')).stdout) as Settings;
    expect(json.adaptation.trainingMinutes).toBe(20);
  });

  it('refuses a bad budget or an unknown setting with a one-line reason and exit 2, saving nothing', async () => {
    const refusals: Array<[string[], string]> = [
      [['adaptation.trainingMinutes', '500'], 'The training time budget (minutes) must be at most 240.'],
      [['adaptation.trainingMinutes', '2'], 'The training time budget (minutes) must be at least 5.'],
      [['adaptation.trainingMinutes', 'soon'], 'The training time budget (minutes) needs a number.'],
      [['adaptation.trainingMinutes', '7.5'], 'The training time budget (minutes) must be a whole number.'],
      [
        ['trainingMinutes', '30'],
        'There is no setting "trainingMinutes"; the settings are: adaptation.enabled,',
      ],
    ];
    for (const [args, sentence] of refusals) {
      const refused = await run('settings', 'set', ...args);
      expect(refused).toMatchObject({ code: 2, stdout: '' });
      expect(refused.stderr).toMatch(new RegExp(`^driftless: ${escape(sentence)}.*\\n$`));
    }
    expect((await run('settings')).stdout).toMatch(/^adaptation\.trainingMinutes +20$/m);
  });

  it('sets the budget; the next adaptation plans with it and versions prints each plan', async () => {
    // v1 as builds before step plans trained it: its manifest has training figures but no plan.
    expect((await run('adapt')).code).toBe(0);
    const set = await run('settings', 'set', 'adaptation.trainingMinutes', '12');
    expect(set).toMatchObject({ code: 0, stdout: 'adaptation.trainingMinutes is now 12.\n', stderr: '' });
    // The other settings of the group are kept.
    expect((await run('settings', 'set', 'adaptation.onlyOnPower', 'off')).code).toBe(0);
    const listed = (await run('settings')).stdout;
    expect(listed).toMatch(/^adaptation\.trainingMinutes +12$/m);
    expect(listed).toMatch(/^adaptation\.onlyOnPower +false$/m);

    // Back to v0, whose notes the next run trains on again (none are new since v1).
    expect((await run('rollback', 'v0')).code).toBe(0);
    trainer = new LinearTrainer({ msPerStep: 60_000 });
    const adapted = await run('adapt');
    expect(adapted).toMatchObject({ code: 0, stderr: '' });
    const lines = (await run('versions')).stdout.split('\n');
    expect(lines[0]).toMatch(/^ {2}v0 {2}pretrained/);
    expect(lines[1]).toMatch(/^ {2}v1 {2}from v0/);
    // 20 steps configured at a minute each on the fixture's clock: 12 fit the 12-minute budget.
    expect(lines[2]).toMatch(/^\* v2 {2}from v0/);
    expect(lines[3]).toBe(
      '    trained 12 of 20 steps: 20 steps planned; 12 fit the 12-minute budget at 60 s/step on fixture-linear',
    );
    expect(lines.slice(4)).toEqual(['']);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
