// Builds llama.cpp's llama-finetune on first use from the source node-llama-cpp ships (a git bundle), into a
// cache folder outside the project, configured so that nothing is downloaded. Every step runs through the
// trainer runner (no shell, own process group, cancellable), under `nice` where there is one.
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { AppFailure } from '@shared/ipc/result'
import { startTrainer } from './trainer-process'

export type BuildPhase = 'clone' | 'configure' | 'build' | 'verify'

export interface BuildProgress {
  phase: BuildPhase
  /** 0–100 while compiling (CMake's `[ NN%]` or Ninja's `[n/m]`), else null. */
  percent: number | null
  line: string | null
}

export interface LlamaFinetuneBuildOptions {
  /** Where node-llama-cpp's `llama/` folder is (holds gitRelease.bundle and llama.cpp.info.json). */
  llamaSourceDir?: string
  /** Parent of the per-release build folders; defaults to `$WINNOW_CACHE_DIR` or the user's cache folder. */
  cacheRoot?: string
  /** Parallel compile jobs. Two: these machines have two cores, and a build must not starve the app. */
  jobs?: number
  /** Lowest priority by default: the build is background work. null runs at normal priority. */
  niceness?: number | null
  signal?: AbortSignal
  onProgress?(progress: BuildProgress): void
}

export interface LlamaFinetuneBuild {
  binary: string
  /** llama.cpp release tag from node-llama-cpp's llama.cpp.info.json. */
  release: string
  folder: string
  /** False when an earlier build was reused. */
  built: boolean
  buildSeconds: number | null
}

/**
 * Nothing may be fetched: no web UI (built or prebuilt), no OpenSSL/BoringSSL, no tests, tools or server,
 * and FetchContent refuses to reach the network even if some subproject asks.
 */
export const configureFlags = [
  '-DCMAKE_BUILD_TYPE=Release',
  '-DBUILD_SHARED_LIBS=OFF',
  '-DLLAMA_BUILD_UI=OFF',
  '-DLLAMA_USE_PREBUILT_UI=OFF',
  '-DLLAMA_OPENSSL=OFF',
  '-DLLAMA_BUILD_BORINGSSL=OFF',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_TOOLS=OFF',
  '-DLLAMA_BUILD_SERVER=OFF',
  '-DLLAMA_BUILD_APP=OFF',
  // llama-finetune lives in examples/training.
  '-DLLAMA_BUILD_EXAMPLES=ON',
  '-DGGML_CCACHE=OFF',
  '-DFETCHCONTENT_FULLY_DISCONNECTED=ON',
] as const

const stampName = 'winnow-build.json'
const exe = process.platform === 'win32' ? '.exe' : ''

/** node-llama-cpp's `llama/` folder, found the way Node would resolve the package. */
export function defaultLlamaSourceDir(): string {
  const entry = createRequire(import.meta.url).resolve('node-llama-cpp')
  for (let dir = dirname(entry); dirname(dir) !== dir; dir = dirname(dir))
    if (existsSync(join(dir, 'llama', 'llama.cpp.info.json'))) return join(dir, 'llama')
  throw new AppFailure('not-found', `node-llama-cpp's llama.cpp source was not found above ${entry}.`)
}

export function defaultCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WINNOW_CACHE_DIR) return env.WINNOW_CACHE_DIR
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'winnow', 'cache')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'winnow')
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'winnow')
}

/** The first executable called one of `names` on PATH, or null. No shell, no `which`. */
export function findOnPath(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string | null {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter(Boolean)
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD').split(';') : ['']
  for (const dir of dirs)
    for (const name of names)
      for (const ext of exts) if (existsSync(join(dir, name + ext))) return join(dir, name + ext)
  return null
}

/** Names every missing tool at once, with how to install them, rather than failing deep inside CMake. */
export function requireBuildTools(env: NodeJS.ProcessEnv = process.env): { cmake: string; git: string } {
  const cmake = findOnPath(['cmake'], env)
  const git = findOnPath(['git'], env)
  // Windows: CMake finds MSVC itself, which is not on PATH outside a developer prompt.
  const compiler =
    process.platform === 'win32' || (env.CXX && existsSync(env.CXX))
      ? 'ok'
      : findOnPath(['c++', 'g++', 'clang++'], env)
  const missing = [
    cmake ? null : 'cmake',
    compiler ? null : 'a C++ compiler (c++, g++ or clang++)',
    git ? null : 'git',
  ].filter((m): m is string => m !== null)
  if (missing.length > 0 || !cmake || !git)
    throw new AppFailure(
      'unavailable',
      `Building llama-finetune needs ${missing.join(', ')}, not found on PATH. ` +
        'Install them (Debian/Ubuntu: sudo apt-get install cmake build-essential git; macOS: ' +
        'xcode-select --install and brew install cmake; Windows: Visual Studio Build Tools with CMake, and Git).',
    )
  return { cmake, git }
}

export async function llamaCppRelease(llamaSourceDir: string): Promise<string> {
  const info = JSON.parse(await readFile(join(llamaSourceDir, 'llama.cpp.info.json'), 'utf8')) as {
    tag?: unknown
  }
  if (typeof info.tag !== 'string' || !/^[\w.-]+$/.test(info.tag))
    throw new AppFailure('invalid-payload', `llama.cpp.info.json in ${llamaSourceDir} names no release tag.`)
  return info.tag
}

/** `[ 45%] Building …` (Makefiles) or `[12/200] Building …` (Ninja) to a percentage. */
export function buildPercent(line: string): number | null {
  const make = line.match(/^\[\s*(\d{1,3})%\]/)
  if (make) return Math.min(100, Number(make[1]))
  const ninja = line.match(/^\[(\d+)\/(\d+)\]/)
  if (ninja && Number(ninja[2]) > 0) return Math.floor((100 * Number(ninja[1])) / Number(ninja[2]))
  return null
}

/** Where CMake put the binary: build/bin for single-config generators, build/bin/Release for MSVC. */
function binaryIn(folder: string): string | null {
  const candidates = [
    join(folder, 'build', 'bin', `llama-finetune${exe}`),
    join(folder, 'build', 'bin', 'Release', `llama-finetune${exe}`),
  ]
  return candidates.find((path) => existsSync(path)) ?? null
}

/** The cached llama-finetune, if a finished build is there: nothing is built, run or locked. */
export async function cachedLlamaFinetune(
  options: Pick<LlamaFinetuneBuildOptions, 'llamaSourceDir' | 'cacheRoot'> = {},
): Promise<{ binary: string; release: string } | null> {
  const release = await llamaCppRelease(options.llamaSourceDir ?? defaultLlamaSourceDir())
  const folder = join(options.cacheRoot ?? defaultCacheRoot(), `llama.cpp-${release}`)
  const binary = binaryIn(folder)
  return binary !== null && existsSync(join(folder, stampName)) ? { binary, release } : null
}

const inFlight = new Map<string, Promise<LlamaFinetuneBuild>>()

/** The llama-finetune binary, built now if the cache has none. Concurrent callers share one build. */
export function ensureLlamaFinetune(options: LlamaFinetuneBuildOptions = {}): Promise<LlamaFinetuneBuild> {
  const key = options.cacheRoot ?? defaultCacheRoot()
  let pending = inFlight.get(key)
  if (!pending) {
    pending = buildOrReuse({ ...options, cacheRoot: key }).finally(() => inFlight.delete(key))
    inFlight.set(key, pending)
  }
  return pending
}

async function buildOrReuse(options: LlamaFinetuneBuildOptions & { cacheRoot: string }) {
  const sourceDir = options.llamaSourceDir ?? defaultLlamaSourceDir()
  const release = await llamaCppRelease(sourceDir)
  const folder = join(options.cacheRoot, `llama.cpp-${release}`)
  const reused = await reuse(folder, release, options)
  if (reused) return reused
  const tools = requireBuildTools()
  await mkdir(options.cacheRoot, { recursive: true })
  // Another Winnow (or a script) may be building the same release: wait for it, then look again.
  const release_ = await acquireLock(`${folder}.lock`, options.signal)
  try {
    return (
      (await reuse(folder, release, options)) ?? (await build(folder, release, sourceDir, tools, options))
    )
  } finally {
    await release_()
  }
}

async function reuse(
  folder: string,
  release: string,
  options: LlamaFinetuneBuildOptions,
): Promise<LlamaFinetuneBuild | null> {
  const binary = binaryIn(folder)
  if (!binary || !existsSync(join(folder, stampName))) return null
  await verify(binary, options)
  return { binary, release, folder, built: false, buildSeconds: null }
}

async function build(
  folder: string,
  release: string,
  sourceDir: string,
  tools: { cmake: string; git: string },
  options: LlamaFinetuneBuildOptions,
): Promise<LlamaFinetuneBuild> {
  const started = performance.now()
  const src = join(folder, 'src')
  const buildDir = join(folder, 'build')
  const report = (phase: BuildPhase, percent: number | null, line: string | null) =>
    options.onProgress?.({ phase, percent, line })
  if (!existsSync(join(src, 'CMakeLists.txt'))) {
    report('clone', null, null)
    // Cloned beside, then renamed: an interrupted clone never looks like a complete source tree.
    const partial = join(folder, 'src.partial')
    await rm(partial, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    const bundle = join(sourceDir, 'gitRelease.bundle')
    await step('git clone', options, [
      tools.git,
      ...['-c', 'advice.detachedHead=false', 'clone', '--quiet', bundle, partial],
    ])
    await rm(src, { recursive: true, force: true })
    await rename(partial, src)
  }
  report('configure', null, null)
  await step('cmake configure', options, [tools.cmake, '-S', src, '-B', buildDir, ...configureFlags])
  report('build', 0, null)
  const jobs = String(Math.max(1, options.jobs ?? 2))
  const buildArgv = [tools.cmake, '--build', buildDir, '--config', 'Release']
  await step('cmake build', options, [...buildArgv, '--target', 'llama-finetune', '-j', jobs], (line) => {
    const percent = buildPercent(line)
    if (percent !== null) report('build', percent, line)
  })
  const binary = binaryIn(folder)
  if (!binary) throw new AppFailure('internal', `The build finished but no llama-finetune is in ${buildDir}.`)
  report('verify', null, null)
  await verify(binary, options)
  const buildSeconds = Math.round((performance.now() - started) / 1000)
  const stamp = { release, binary, builtAt: new Date().toISOString(), buildSeconds, configureFlags }
  await writeFile(join(folder, stampName), JSON.stringify(stamp, null, 2) + '\n')
  return { binary, release, folder, built: true, buildSeconds }
}

/** `--help` must run: a binary that cannot start (missing library, wrong CPU) fails here, not mid-run. */
async function verify(binary: string, options: LlamaFinetuneBuildOptions): Promise<void> {
  const exit = await startTrainer({ file: binary, args: ['--help'], signal: options.signal }).exited
  const help = exit.stdout.text + exit.stderr.text
  if (exit.code !== 0 || !help.includes('--epochs'))
    throw new AppFailure(
      'unavailable',
      `${binary} --help failed (exit ${exit.code ?? exit.signal}): ${help.slice(-600)}. ` +
        'Delete its folder to rebuild.',
    )
}

/** Runs one build step to completion; a failure quotes the end of its output. */
async function step(
  what: string,
  options: LlamaFinetuneBuildOptions,
  argv: readonly string[],
  onLine?: (line: string) => void,
): Promise<void> {
  const [file, ...args] = withNice(argv, options.niceness === undefined ? 19 : options.niceness)
  const env: Record<string, string> = {}
  // The runner passes an allow-list only; a chosen compiler must still reach CMake.
  for (const name of ['CC', 'CXX', 'CMAKE_GENERATOR'] as const) {
    const value = process.env[name]
    if (value) env[name] = value
  }
  const exit = await startTrainer({
    file: file!,
    args,
    env,
    signal: options.signal,
    logCapacityBytes: 64 << 10,
    onLine: (_stream, line) => onLine?.(line),
  }).exited
  if (exit.cancelled) throw new AppFailure('unavailable', `The llama-finetune build was cancelled (${what}).`)
  if (exit.code !== 0)
    throw new AppFailure(
      'internal',
      `${what} failed (exit ${exit.code ?? exit.signal}):\n${(exit.stdout.text + exit.stderr.text).slice(-2000)}`,
    )
}

function withNice(argv: readonly string[], niceness: number | null): readonly string[] {
  if (niceness === null || process.platform === 'win32') return argv
  const nice = findOnPath(['nice'])
  return nice ? [nice, '-n', String(niceness), ...argv] : argv
}

/**
 * A lock folder (mkdir is atomic) holding the owner's pid. A lock whose owner is gone (crash, kill) is
 * taken over; a live owner is waited for, checking every second.
 */
async function acquireLock(path: string, signal?: AbortSignal): Promise<() => Promise<void>> {
  for (;;) {
    try {
      await mkdir(path)
      await writeFile(join(path, 'pid'), String(process.pid))
      return () => rm(path, { recursive: true, force: true })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    if (!(await lockOwnerAlive(path))) {
      await rm(path, { recursive: true, force: true })
      continue
    }
    if (signal?.aborted) throw new AppFailure('unavailable', 'The llama-finetune build was cancelled.')
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

async function lockOwnerAlive(path: string): Promise<boolean> {
  const pid = Number(await readFile(join(path, 'pid'), 'utf8').catch(() => ''))
  if (!Number.isInteger(pid) || pid <= 0) {
    // Just created, pid not written yet: alive unless the folder is old.
    const made = await stat(path).catch(() => null)
    return made !== null && Date.now() - made.mtimeMs < 10_000
  }
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
