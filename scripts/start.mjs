// `npm start`: builds, then runs the desktop app. Where the Electron binary is missing (it could not be
// downloaded at install time), says so and runs the same app as a browser preview instead.
import { spawnSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const build = spawnSync(npx, ['electron-vite', 'build'], { stdio: 'inherit', shell: false })
if (build.status !== 0) process.exit(build.status ?? 1)

let electronBinary = null
try {
  electronBinary = createRequire(import.meta.url)('electron')
} catch (error) {
  console.warn(`\nThe Electron binary is not available (${error.message.split('\n')[0]}).`)
  console.warn(
    'Electron downloads it on first start: run `npm start` again with network access for the desktop window.',
  )
  console.warn('Starting the browser preview instead: open the URL printed below in Chromium or Chrome.\n')
}

const child = electronBinary
  ? spawn(electronBinary, ['.'], { stdio: 'inherit', shell: false })
  : spawn(process.execPath, ['--import', 'tsx', 'src-main/browser-host.ts'], {
      stdio: 'inherit',
      shell: false,
    })
child.on('exit', (code) => process.exit(code ?? 0))
