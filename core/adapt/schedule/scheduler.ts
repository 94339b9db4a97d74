import { z } from 'zod';
import { logAndContinue, readJsonFileOrSetAside, writeJsonAtomic } from '../../base/index.ts';
import { adaptationDue, systemLooksIdle, type AdaptationSettings, type TriggerVerdict } from './triggers.ts';

const countSchema = z.object({ version: z.string(), newNotes: z.number().int().nonnegative() });

/**
 * Notes added or changed since a version was published. Counted in memory and saved on `save()`
 * (the app saves on close): a count lost in a crash only delays an automatic run.
 */
export class NewNotesCounter {
  #value: z.infer<typeof countSchema> = { version: 'v0', newNotes: 0 };

  private constructor(private readonly file: string) {}

  static async open(file: string): Promise<NewNotesCounter> {
    const counter = new NewNotesCounter(file);
    counter.#value = (await readJsonFileOrSetAside(file, countSchema)) ?? counter.#value;
    return counter;
  }

  /** The count for `version`; a count kept for another version no longer applies. */
  count(version: string): number {
    return this.#value.version === version ? this.#value.newNotes : 0;
  }

  add(version: string, notes: number): void {
    this.#value = { version, newNotes: this.count(version) + notes };
  }

  async save(): Promise<void> {
    await writeJsonAtomic(this.file, this.#value);
  }
}

export interface SchedulerDeps {
  settings(): AdaptationSettings;
  /** Counts since the current version and when it was published. */
  counts(): Promise<{ newNotes: number; feedbackEvents: number; lastVersionMs: number }>;
  /** True on battery, false on mains, undefined when unknown. */
  onBattery?: () => boolean | undefined;
  /** True while an adaptation job is queued or running. */
  busy(): boolean;
  start(reason: string): void;
}

/**
 * Starts adaptation runs on its own: checked after imports and feedback, and on a timer for the
 * schedule. Only one run at a time; conditions (idle, power) come from `adaptationDue`.
 */
export class AdaptationScheduler {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Checks every `intervalMs` (default 10 minutes) until stopped. */
  start(intervalMs = 600_000): void {
    this.#timer ??= setInterval(
      () => void this.check().catch(logAndContinue('Checking whether an adaptation is due')),
      intervalMs,
    );
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Starts a run when one is due and none is active; returns the verdict. */
  async check(nowMs = Date.now()): Promise<TriggerVerdict> {
    if (this.deps.busy()) return { due: false, reason: 'an adaptation is already running' };
    const counts = await this.deps.counts();
    const verdict = adaptationDue(this.deps.settings(), {
      ...counts,
      nowMs,
      idle: systemLooksIdle(),
      onBattery: this.deps.onBattery?.(),
    });
    if (verdict.due) this.deps.start(verdict.reason);
    return verdict;
  }
}
