import type {
  DriftlessApi,
  FeedbackKind,
  NoteContent,
  NoteMark,
  QueryChip,
  SearchHit,
  Settings,
} from '../contract.ts';
import { noteKey } from '../lib/format.ts';
import { describeError, type LoadStatus } from './errors.ts';

/** The note shown in the preview pane, with the hit that led to it. */
export interface Preview {
  hit: ShownHit;
  status: LoadStatus;
  note?: NoteContent;
  error?: string;
}

/**
 * A result on screen, with the search that painted it: feedback on a hit is about that query and
 * that ranked list, not about whatever the box holds by the time of the click (a label from another
 * query would teach the encoder a pair that never happened).
 */
export interface ShownHit extends SearchHit {
  paintedBy: { query: string; shown: string[] };
}

/** Results the window lists at most. */
export const RESULT_LIMIT = 30;

/** Words (text), meaning (dense) or both (hybrid): the user's choice, kept in the settings. */
export type SearchMode = Settings['searchMode'];

/** The search box, its results, the selection, feedback marks and the preview. */
export class SearchState {
  readonly #api: DriftlessApi;
  readonly #debounceMs: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #latest = 0;

  query = $state('');
  mode = $state<SearchMode>('hybrid');
  /** A mode change that could not be saved; the chosen mode still applies in this window. */
  modeError = $state<string>();
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  /** Whether the error is about the query as written (a bad operator), not about the search failing. */
  errorInQuery = $state(false);
  /** How the painted query was understood: its filters, phrases and exclusions. */
  understood = $state<QueryChip[]>([]);
  /** A failed feedback or open action, shown above the results until the next one succeeds. */
  actionError = $state<string>();
  /** The last "open in editor": the file and what was asked to open it, until dismissed. */
  openedExternally = $state<{ opened: boolean; path: string; opener: string }>();
  tookMs = $state(0);
  /** The query whose results are on screen ('' when none): lets a measurement tell which search painted. */
  paintedQuery = $state('');
  selected = $state(-1);
  preview = $state<Preview>();
  /** The last feedback given per note key (pin, hide, up, down). */
  marks = $state<Record<string, FeedbackKind>>({});
  /** Notes the user hid, newest first: the hidden-notes list, where each can be shown again. */
  hidden = $state<NoteMark[]>([]);
  /** The note hidden last, offered for Undo until another is hidden or it is shown again. */
  justHidden = $state<NoteMark>();
  #hits = $state<ShownHit[]>([]);
  #related = $state<ShownHit[]>([]);
  /** Whether more notes matched than the window lists (the count shown is then a floor, "30+"). */
  capped = $state(false);

  /** Hidden notes drop out; pinned notes float to the top, otherwise server order. */
  hits = $derived(
    this.#hits
      .filter((hit) => this.marks[noteKey(hit)] !== 'hide')
      .sort((a, b) => Number(this.isPinned(b)) - Number(this.isPinned(a))),
  );

  /** Notes only loosely related in meaning, shown apart under "Related"; hidden ones drop out. */
  related = $derived(this.#related.filter((hit) => this.marks[noteKey(hit)] !== 'hide'));
  /** What the arrow keys move through: the results, then the related notes. */
  navigable = $derived([...this.hits, ...this.related]);
  /**
   * Whether the notes on screen were indexed by more than one encoder version: only then does a
   * result name its version (one badge per result saying "v0" thirty times tells nothing).
   */
  mixedVersions = $derived(
    this.navigable.some((hit) => hit.encoderVersion !== this.navigable[0]?.encoderVersion),
  );

  /** Mode choices of this window still being saved. */
  #savingMode = 0;

  constructor(api: DriftlessApi, options: { debounceMs?: number } = {}) {
    this.#api = api;
    this.#debounceMs = options.debounceMs ?? 120;
  }

  /** How long typing must pause before a search runs. */
  get debounceMs(): number {
    return this.#debounceMs;
  }

  /** Takes the mode the settings remember (hybrid when they cannot be read). */
  async loadMode(): Promise<void> {
    try {
      this.mode = (await this.#api.getSettings({})).searchMode;
    } catch {
      this.mode = 'hybrid';
    }
  }

  /** Switches the mode, remembers it in the settings and searches the current query again. */
  async setMode(mode: SearchMode): Promise<void> {
    if (mode === this.mode) return;
    this.mode = mode;
    const rerun = this.query.trim() ? this.run() : Promise.resolve();
    this.#savingMode += 1;
    try {
      await this.#api.updateSettings({ settings: { searchMode: mode } });
      this.modeError = undefined;
    } catch (error) {
      this.modeError = describeError(error);
    } finally {
      this.#savingMode -= 1;
    }
    await rerun;
  }

  /**
   * Takes a mode the settings changed to elsewhere (another window, `driftless settings set`) and
   * searches again in it; not while this window saves its own choice, which is the newer one.
   */
  async followMode(mode: SearchMode): Promise<void> {
    if (mode === this.mode || this.#savingMode > 0) return;
    this.mode = mode;
    if (this.query.trim()) await this.run();
  }

  /** Called on every keystroke; the search runs once typing pauses. */
  type(query: string): void {
    this.query = query;
    clearTimeout(this.#timer);
    if (!query.trim()) return this.clear();
    this.#timer = setTimeout(() => void this.run(), this.#debounceMs);
  }

  /** Runs the current query now; results of older, slower queries are dropped. */
  async run(): Promise<void> {
    clearTimeout(this.#timer);
    const query = this.query.trim();
    if (!query) return this.clear();
    const ticket = ++this.#latest;
    this.status = 'loading';
    try {
      // One more than is listed, so the window knows whether the list is all there is.
      const response = await this.#api.search({ query, limit: RESULT_LIMIT + 1, mode: this.mode });
      if (ticket !== this.#latest) return;
      const hits = response.hits.slice(0, RESULT_LIMIT);
      const paintedBy = { query, shown: [...hits, ...response.related].map(noteKey) };
      this.#hits = hits.map((hit) => ({ ...hit, paintedBy }));
      this.#related = response.related.map((hit) => ({ ...hit, paintedBy }));
      this.capped = response.hits.length > RESULT_LIMIT;
      this.understood = response.understood;
      this.tookMs = response.tookMs;
      this.paintedQuery = query;
      this.selected = this.navigable.length ? 0 : -1;
      this.status = 'ready';
    } catch (error) {
      if (ticket !== this.#latest) return;
      this.error = describeError(error);
      this.errorInQuery = isInvalidArgument(error);
      this.understood = [];
      this.paintedQuery = query;
      this.status = 'error';
    }
  }

  /** Empties the box, the results and the preview. */
  clear(): void {
    clearTimeout(this.#timer);
    this.#latest++;
    this.query = '';
    this.paintedQuery = '';
    this.understood = [];
    this.#hits = [];
    this.#related = [];
    this.capped = false;
    this.selected = -1;
    this.preview = undefined;
    this.status = 'idle';
  }

  /** Moves the keyboard selection, staying within the results. */
  move(delta: number): void {
    if (!this.navigable.length) return;
    this.selected = Math.max(0, Math.min(this.navigable.length - 1, this.selected + delta));
  }

  closePreview(): void {
    this.preview = undefined;
  }

  /**
   * Esc: empties a non-empty box (the preview stays, so the note can still be read), else closes
   * the preview. False when there was nothing to clear or close (the window may then blur or hide).
   */
  escape(): boolean {
    if (this.query) {
      const preview = this.preview;
      this.clear();
      this.preview = preview;
      return true;
    }
    if (!this.preview) return false;
    this.closePreview();
    return true;
  }

  /** The result the keyboard acts on (aria-activedescendant), if any; a hide may shorten the list. */
  get active(): ShownHit | undefined {
    return this.navigable[Math.min(this.selected, this.navigable.length - 1)];
  }

  /** The element id of the active result (`result-N` or `related-N`), for aria-activedescendant. */
  get activeId(): string | undefined {
    if (this.selected < 0 || this.selected >= this.navigable.length) return undefined;
    const inResults = this.selected < this.hits.length;
    return inResults ? `result-${this.selected}` : `related-${this.selected - this.hits.length}`;
  }

  /** Makes a result the active one; one no longer on screen (hidden) leaves the next one active. */
  select(hit: ShownHit): void {
    const index = this.navigable.indexOf(hit);
    this.selected = index >= 0 ? index : Math.min(this.selected, this.navigable.length - 1);
  }

  /** Shows the note in the preview and records the open as implicit positive feedback. */
  async open(hit: ShownHit | undefined = this.active): Promise<void> {
    if (!hit) return;
    this.selected = this.navigable.indexOf(hit);
    this.preview = { hit, status: 'loading' };
    void this.feedback(hit, 'open');
    try {
      const note = await this.#api.getNote({
        folderId: hit.folderId,
        notePath: hit.notePath,
        around: hit.start,
      });
      if (this.preview?.hit === hit) this.preview = { hit, status: 'ready', note };
    } catch (error) {
      if (this.preview?.hit === hit) this.preview = { hit, status: 'error', error: describeError(error) };
    }
  }

  /**
   * Opens the note in the system's editor, then says where it went: the opener runs on the computer
   * running Driftless and cannot tell whether a window appeared, so the path is offered to copy.
   */
  async openExternally(hit: SearchHit): Promise<void> {
    try {
      this.actionError = undefined;
      this.openedExternally = undefined;
      this.openedExternally = await this.#api.openNote({ folderId: hit.folderId, notePath: hit.notePath });
    } catch (error) {
      this.actionError = `The note could not be opened in your editor: ${describeError(error)}`;
    }
  }

  /** Takes the pins and hides kept in the data folder (they outlive the window). */
  async loadMarks(): Promise<void> {
    try {
      const marks = await this.#api.listMarks({});
      for (const mark of marks) this.marks[noteKey(mark)] = mark.kind;
      this.hidden = marks.filter((mark) => mark.kind === 'hide');
    } catch (error) {
      this.actionError = `Your pinned and hidden notes could not be loaded: ${describeError(error)}`;
    }
  }

  /** Unpins a note, or shows a hidden one again (Undo, or the hidden-notes list). */
  async unmark(note: { folderId: string; notePath: string }): Promise<void> {
    const key = noteKey(note);
    const previous = this.marks[key];
    delete this.marks[key];
    try {
      this.actionError = undefined;
      await this.#api.clearMark({ folderId: note.folderId, notePath: note.notePath });
    } catch (error) {
      this.#restoreMark(key, previous);
      this.actionError = `The note could not be ${previous === 'hide' ? 'shown again' : 'unpinned'}: ${describeError(error)}`;
      return;
    }
    this.hidden = this.hidden.filter((mark) => noteKey(mark) !== key);
    if (this.justHidden && noteKey(this.justHidden) === key) this.justHidden = undefined;
    // Results painted after the hide came without the note: search again to bring it back.
    if (previous === 'hide' && this.paintedQuery) await this.run();
  }

  /** Records thumbs, pin, hide or open for a result; pin and hide also reorder the list. */
  async feedback(hit: ShownHit, kind: FeedbackKind): Promise<void> {
    const key = noteKey(hit);
    if (kind === 'pin' && this.marks[key] === 'pin') return this.unmark(hit);
    const { query, shown } = hit.paintedBy;
    const previous = this.marks[key];
    if (kind !== 'open') this.marks[key] = kind;
    try {
      this.actionError = undefined;
      await this.#api.recordFeedback({
        query,
        kind,
        folderId: hit.folderId,
        notePath: hit.notePath,
        chunkId: hit.chunkId,
        shown,
        encoderVersion: hit.encoderVersion,
      });
    } catch (error) {
      if (kind !== 'open') this.#restoreMark(key, previous);
      this.actionError = `Your feedback was not saved: ${describeError(error)}`;
      return;
    }
    if (kind === 'hide') this.#noteHidden(hit);
  }

  #noteHidden(note: { folderId: string; notePath: string }): void {
    const mark: NoteMark = {
      folderId: note.folderId,
      notePath: note.notePath,
      kind: 'hide',
      atMs: Date.now(),
    };
    this.hidden = [mark, ...this.hidden.filter((other) => noteKey(other) !== noteKey(mark))];
    this.justHidden = mark;
  }

  isPinned(hit: SearchHit): boolean {
    return this.marks[noteKey(hit)] === 'pin';
  }

  markOf(hit: SearchHit): FeedbackKind | undefined {
    return this.marks[noteKey(hit)];
  }

  /** For tests: back to a fresh window. */
  reset(): void {
    this.clear();
    this.marks = {};
    this.hidden = [];
    this.justHidden = undefined;
    this.error = this.actionError = undefined;
  }

  #restoreMark(key: string, previous: FeedbackKind | undefined): void {
    if (previous) this.marks[key] = previous;
    else delete this.marks[key];
  }
}

const isInvalidArgument = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && 'code' in error && error.code === 'INVALID_ARGUMENT';
