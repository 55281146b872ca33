// Renderer entry: loads the global stylesheet and mounts the Svelte 5 app into #app.
import { mount } from 'svelte'
import App from './App.svelte'
import './app.css'

const target = document.getElementById('app')
if (!target) throw new Error('Winnow: the #app element is missing from index.html.')

export default mount(App, { target })
