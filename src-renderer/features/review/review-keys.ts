// The Review screen's single-key actions, and their lines in the "?" overlay. Kept apart from the screen so
// the mapping is one table: a key listed here is a key the screen handles, and the other way round.
import { isTypingTarget } from '../../ui/key-chords'

export type ReviewAction =
  | { kind: 'select'; index: number }
  | { kind: 'edit' | 'flag' | 'reject-all' | 'skip' | 'undo' | 'note' | 'confirm' }
  | { kind: 'focus-next' | 'focus-previous' | 'previous-sample' }

const plainKeys: Record<string, ReviewAction> = {
  e: { kind: 'edit' },
  f: { kind: 'flag' },
  x: { kind: 'reject-all' },
  s: { kind: 'skip' },
  z: { kind: 'undo' },
  n: { kind: 'note' },
  j: { kind: 'focus-next' },
  ArrowDown: { kind: 'focus-next' },
  k: { kind: 'focus-previous' },
  ArrowUp: { kind: 'focus-previous' },
  Enter: { kind: 'confirm' },
  p: { kind: 'previous-sample' },
}

/** The action a keydown asks for, or null (typing in a field, a modifier chord, or a key with no action). */
export function reviewActionFor(event: KeyboardEvent): ReviewAction | null {
  if (isTypingTarget(event.target) || event.altKey) return null
  if (event.ctrlKey || event.metaKey) return event.key === 'z' && !event.shiftKey ? { kind: 'undo' } : null
  // Enter on a button or link is that control's own click.
  if (
    event.key === 'Enter' &&
    event.target instanceof HTMLElement &&
    event.target.closest('button, a, summary')
  )
    return null
  if (/^[1-9]$/.test(event.key)) return { kind: 'select', index: Number(event.key) - 1 }
  return plainKeys[event.key] ?? null
}

export const reviewShortcuts: readonly { keys: string; description: string }[] = [
  { keys: '1–9', description: 'Review: choose that candidate as the best' },
  { keys: 'j', description: 'Review: next candidate (also ↓)' },
  { keys: 'k', description: 'Review: previous candidate (also ↑)' },
  { keys: 'e', description: 'Review: edit the focused candidate (Ctrl+Enter saves, Esc cancels)' },
  { keys: 'f', description: 'Review: flag the focused candidate' },
  { keys: 'x', description: 'Review: reject all candidates and go on' },
  { keys: 's', description: 'Review: skip this sample and go on' },
  { keys: 'z', description: 'Review: undo the last decision on this sample (also Ctrl+Z)' },
  { keys: 'n', description: 'Review: add a note' },
  { keys: 'Enter', description: 'Review: confirm and go on to the next sample' },
  { keys: 'p', description: 'Review: back to the previous sample (to undo there, say)' },
]
