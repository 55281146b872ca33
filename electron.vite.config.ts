// Build for the three processes: main (Node/Electron), preload (sandboxed CommonJS) and the Svelte renderer.
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const alias = { '@shared': resolve(import.meta.dirname, 'src-shared') }

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src-main/index.ts'),
          // The generation thread's entry, loaded by generate-thread.ts from beside the main bundle.
          'generate-thread-entry': resolve(
            import.meta.dirname,
            'src-main/engines/ollama/generate-thread-entry.ts',
          ),
        },
        // Flat: generate-thread.ts, in whichever chunk, finds the entry as ./generate-thread-entry.js.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ESM or npm modules: one CommonJS file whose only require is electron.
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src-main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src-renderer'),
    base: './',
    resolve: { alias },
    plugins: [svelte({ configFile: resolve(import.meta.dirname, 'svelte.config.js') })],
    build: {
      // WINNOW_BUILD_MINIFY=0 keeps the app's function names, for a benchmark's CPU profile (BENCH_PROFILE=1).
      minify: process.env.WINNOW_BUILD_MINIFY !== '0',
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rollupOptions: { input: resolve(import.meta.dirname, 'src-renderer/index.html') },
    },
  },
})
