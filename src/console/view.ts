/** A screen of the console: what main.ts puts on the page, and what it stops when the screen goes away. */
export interface View {
  element: HTMLElement;
  /** The document title's first part. */
  title: string;
  dispose?(): void;
}
