// Work that can wait for the screen: started in the same task as a change to what is shown, its setup runs
// before the frame that shows the change is drawn, and the person waits for it.

/** How long to wait for a frame that may never come (a hidden window draws none). */
const noFrameMs = 100

/** Resolves once the next frame has been drawn; where nothing draws frames (Node, a hidden window), soon. */
export function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    const fallback = setTimeout(resolve, noFrameMs)
    // Animation frame callbacks run just before the frame is drawn; a task queued from one runs after it.
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(fallback)
        resolve()
      }, 0),
    )
  })
}
