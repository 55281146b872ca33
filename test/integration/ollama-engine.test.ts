// The Ollama engine's suite (ollama-engine-suite.ts) with generate calls on the calling thread.
import { ollamaEngineSuite } from './ollama-engine-suite'

ollamaEngineSuite({ thread: false })
