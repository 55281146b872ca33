// Builds the preload with the project's own electron.vite.config.ts (preload target only, into a temporary
// folder) and checks what a sandboxed preload needs: one CommonJS file whose only require is electron.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { resolveConfig } from 'electron-vite'
import { build, mergeConfig } from 'vite'

const root = resolve(import.meta.dirname, '../../..')
let outDir: string
let code: string

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'winnow-preload-'))
  // electron-vite's resolveConfig sets NODE_ENV for the whole process; other test files share it.
  const savedNodeEnv = process.env.NODE_ENV
  try {
    const resolved = await resolveConfig(
      { root, configFile: join(root, 'electron.vite.config.ts'), logLevel: 'silent' },
      'build',
      'production',
    )
    const preload = resolved.config?.preload
    if (!preload) throw new Error('electron.vite.config.ts has no preload target')
    await build(
      mergeConfig(preload, {
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true, reportCompressedSize: false },
      }),
    )
  } finally {
    process.env.NODE_ENV = savedNodeEnv
  }
  code = await readFile(join(outDir, 'index.cjs'), 'utf8')
}, 60_000)

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true })
})

describe('the preload bundle', () => {
  it('is a single file, index.cjs (the path index.ts loads)', async () => {
    expect(await readdir(outDir)).toStrictEqual(['index.cjs'])
  })

  it('requires electron and nothing else', () => {
    const required = [...code.matchAll(/\brequire\s*\(\s*(['"`])([^'"`]*)\1\s*\)/g)].map((match) => match[2])
    expect(required).toStrictEqual(['electron'])
    // No require through a variable or a template either: the literal above is the only call.
    expect(code.match(/\brequire\s*\(/g)).toHaveLength(1)
  })

  it('has no import statements, dynamic imports or import.meta', () => {
    expect(code).not.toMatch(/^\s*import[\s{*]/m)
    expect(code).not.toMatch(/\bimport\s*\(/)
    expect(code).not.toMatch(/import\.meta/)
    expect(code).not.toMatch(/^\s*export\s/m)
  })

  it('bundles no library code (zod above all)', () => {
    expect(code).not.toMatch(/zod|node_modules|ZodError/)
  })

  it('runs as CommonJS with only electron available and exposes api = {invoke, on}', () => {
    const exposed = new Map<string, unknown>()
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value) },
      ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
    }
    const requireOnlyElectron = (name: string): unknown => {
      if (name === 'electron') return electron
      throw new Error(`the sandboxed preload cannot require ${name}`)
    }
    const module = { exports: {} }
    runInNewContext(code, { require: requireOnlyElectron, module, exports: module.exports, console })
    expect([...exposed.keys()]).toStrictEqual(['api'])
    expect(Object.keys(exposed.get('api') as object).sort()).toStrictEqual(['invoke', 'on'])
  })
})
