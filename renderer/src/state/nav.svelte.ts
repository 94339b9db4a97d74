export const VIEWS = ['search', 'folders', 'jobs', 'versions', 'settings'] as const;
export type View = (typeof VIEWS)[number];

/** Which view the window shows. */
export class NavState {
  view = $state<View>('search');

  go(view: View): void {
    this.view = view;
  }
}
