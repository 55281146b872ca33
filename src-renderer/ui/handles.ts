// What parents may ask of a few components (scroll a row into view, move the selection), as plain types:
// components hand these out through a bindable `handle` prop instead of exporting instance methods.

export interface VirtualListHandle {
  /** Scrolls just enough to show the row. */
  scrollToIndex(index: number): void
  /** Rows that fit in the viewport, for Page Up / Page Down. */
  pageRows(): number
}

export interface SampleTableHandle {
  /** Moves the selection by delta rows and keeps it on screen. */
  move(delta: number): void
  focus(): void
}
