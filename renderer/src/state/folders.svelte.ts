import type { DriftlessApi, FolderInfo, ImportReport } from '../contract.ts';
import { describeError, type LoadStatus } from './errors.ts';

/** The watched note folders, their counts and import reports. */
export class FoldersState {
  readonly #api: DriftlessApi;
  #refreshing: Promise<void> | undefined;
  #again = false;

  folders = $state<FolderInfo[]>([]);
  status = $state<LoadStatus>('idle');
  error = $state<string>();
  /** The last failed add/remove/rescan, shown beside the form. */
  actionError = $state<string>();
  busy = $state(false);
  /** The folder added last, confirmed beside the form. */
  added = $state<string>();
  /** Existing folders completing the path being typed. */
  suggestions = $state<string[]>([]);
  /** Where a `~` or relative path being typed points, e.g. "That is /home/me/notes". */
  typedPathMeans = $state<string>();
  #suggestions = 0;
  reports = $state<Record<string, ImportReport>>({});

  totalNotes = $derived(this.folders.reduce((sum, folder) => sum + folder.notes, 0));

  constructor(api: DriftlessApi) {
    this.#api = api;
  }

  /**
   * Reads the counts again while an import writes them, batch by batch. Calls during a refresh
   * coalesce into one more, so a fast import never queues a refresh per progress event.
   */
  refreshCounts(): void {
    if (this.#refreshing) {
      this.#again = true;
      return;
    }
    this.#refreshing = this.refresh().finally(() => {
      this.#refreshing = undefined;
      if (this.#again) {
        this.#again = false;
        this.refreshCounts();
      }
    });
  }

  async refresh(): Promise<void> {
    if (this.status !== 'ready') this.status = 'loading';
    try {
      this.folders = await this.#api.listFolders({});
      this.status = 'ready';
    } catch (error) {
      this.error = describeError(error);
      this.status = 'error';
    }
  }

  /**
   * Adds a folder by path (`~/notes`, or relative to the home folder); the core starts its import
   * job. Returns whether it was added; `added` then says which folder that was.
   */
  async add(path: string): Promise<boolean> {
    const trimmed = path.trim();
    this.added = undefined;
    if (!trimmed) {
      this.actionError = 'Type the path of a folder first, for example ~/notes or /home/me/notes.';
      return false;
    }
    return this.#act(async () => {
      const folder = await this.#api.addFolder({ path: trimmed });
      this.folders = [...this.folders.filter((f) => f.id !== folder.id), folder];
      this.added = `Added ${folder.root}.`;
      this.suggestions = [];
      this.typedPathMeans = undefined;
    }, addFailure);
  }

  /**
   * Completes the folder path being typed with existing folders (names only), and says where a `~`
   * or relative path points. Answers to earlier keystrokes that arrive late are dropped.
   */
  async suggest(typed: string): Promise<void> {
    const asked = ++this.#suggestions;
    try {
      const { folders, expanded } = await this.#api.suggestFolders({ typed });
      if (asked !== this.#suggestions) return;
      this.suggestions = folders;
      const text = typed.trim();
      if (text === '' || expanded.path === text) this.typedPathMeans = undefined;
      else if (expanded.relativeTo)
        this.typedPathMeans = `A relative path is read from your home folder: ${expanded.path}`;
      else this.typedPathMeans = `That is ${expanded.path}`;
    } catch {
      if (asked === this.#suggestions) this.suggestions = [];
    }
  }

  remove(folderId: string): Promise<boolean> {
    return this.#act(async () => {
      await this.#api.removeFolder({ folderId });
      this.folders = this.folders.filter((f) => f.id !== folderId);
      delete this.reports[folderId];
    });
  }

  /** Rescans one folder, or all of them without an id. */
  rescan(folderId?: string): Promise<boolean> {
    return this.#act(() => this.#api.syncFolders(folderId ? { folderId } : {}));
  }

  async loadReport(folderId: string): Promise<void> {
    try {
      this.reports[folderId] = await this.#api.getImportReport({ folderId });
    } catch (error) {
      this.actionError = describeError(error);
    }
  }

  /** The folder's display path, for result rows. */
  rootOf(folderId: string): string {
    return this.folders.find((f) => f.id === folderId)?.root ?? folderId;
  }

  reset(): void {
    this.folders = [];
    this.reports = {};
    this.status = 'idle';
    this.error = this.actionError = undefined;
  }

  async #act(action: () => Promise<unknown>, describe = describeError): Promise<boolean> {
    this.busy = true;
    this.actionError = undefined;
    try {
      await action();
      return true;
    } catch (error) {
      this.actionError = describe(error);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** Why a folder could not be added: the core's sentence names the path, so no generic preface. */
function addFailure(error: unknown): string {
  const code = typeof error === 'object' && error && 'code' in error ? String(error.code) : '';
  const ownSentence = ['NOT_FOUND', 'INVALID_ARGUMENT', 'ALREADY_EXISTS'].includes(code);
  return ownSentence && error instanceof Error ? error.message : describeError(error);
}
