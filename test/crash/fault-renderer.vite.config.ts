// The crash harness's "split decision" broken build: the normal renderer (electron.vite.config.ts), compiled
// with VITE_WINNOW_FAULT=split-decision into its own folder, so the real out/renderer never carries the fault.
import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

const root = resolve(import.meta.dirname, '..', '..')
export const faultRendererDir = resolve(root, 'out', 'renderer-fault-split')

export default defineConfig({
  root: resolve(root, 'src-renderer'),
  base: './',
  logLevel: 'warn',
  resolve: { alias: { '@shared': resolve(root, 'src-shared') } },
  plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })],
  define: { 'import.meta.env.VITE_WINNOW_FAULT': JSON.stringify('split-decision') },
  build: {
    outDir: faultRendererDir,
    emptyOutDir: true,
    rollupOptions: { input: resolve(root, 'src-renderer', 'index.html') },
  },
})
