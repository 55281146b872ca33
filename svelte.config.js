// Svelte 5 with runes everywhere; TypeScript in components through vitePreprocess.
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte'

export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
}
