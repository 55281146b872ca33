// The scripted keyboard session a crash run interrupts: random review keys (and the dialogs some of them
// open), as a person presses them, without waiting for saves, so kills land while decisions are in flight.
import type { Page } from 'playwright-core'
import type { Random } from './prng'

export type KeyAction = 'select' | 'undo' | 'reject-all' | 'skip' | 'note' | 'flag' | 'edit' | 'move'

const weights: [KeyAction, number][] = [
  ['select', 30],
  ['undo', 14],
  ['reject-all', 8],
  ['skip', 8],
  ['note', 12],
  ['flag', 10],
  ['edit', 10],
  ['move', 8],
]
const total = weights.reduce((sum, [, weight]) => sum + weight, 0)

export function pickAction(random: Random): KeyAction {
  let roll = random() * total
  for (const [action, weight] of weights) if ((roll -= weight) < 0) return action
  return 'select'
}

/** Opens the Review screen from the keyboard and waits for a sample (or the end of the queue). */
export async function enterReview(page: Page): Promise<void> {
  await page.locator('body').click({ position: { x: 1, y: 1 } })
  await page.keyboard.press('g')
  await page.keyboard.press('r')
  await page
    .locator('[data-testid="review-candidate"], [data-testid="review-done"]')
    .first()
    .waitFor({ timeout: 20_000 })
}

/** One action; dialogs that do not open in time are escaped, since the screen may have moved on. */
export async function pressAction(page: Page, action: KeyAction, random: Random): Promise<void> {
  const dialog = async (testid: string, fill: () => Promise<void>): Promise<void> => {
    try {
      await page.getByTestId(testid).waitFor({ timeout: 1_500 })
      await fill()
      await page.keyboard.press('Control+Enter')
    } catch {
      await page.keyboard.press('Escape')
    }
  }
  switch (action) {
    case 'select': {
      const cards = await page.getByTestId('review-candidate').count()
      await page.keyboard.press(String(random.int(1, Math.max(1, Math.min(cards, 3)))))
      return
    }
    case 'undo':
      return page.keyboard.press('z')
    case 'reject-all':
      return page.keyboard.press('x')
    case 'skip':
      return page.keyboard.press('s')
    case 'move':
      return page.keyboard.press(random.pick(['j', 'k', 'p']))
    case 'note':
      await page.keyboard.press('n')
      return dialog('note-dialog', () => page.keyboard.type(`crash note ${random.int(0, 999)}`))
    case 'flag':
      await page.keyboard.press('f')
      return dialog('flag-dialog', async () => {
        await page.getByTestId('flag-reason').first().waitFor({ timeout: 1_000 })
        await page.keyboard.press('Space')
      })
    case 'edit':
      await page.keyboard.press('e')
      return dialog('edit-panel', async () => {
        await page.waitForFunction(
          () => document.activeElement?.getAttribute('data-testid') === 'edit-text',
          undefined,
          { timeout: 1_000 },
        )
        await page.keyboard.press('Control+A')
        await page.keyboard.type(`edited ${random.int(0, 999)}`)
      })
  }
}
