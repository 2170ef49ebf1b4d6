// Stylesheets first, so that each feature's own stylesheet (imported by its component) comes after them.
import './styles/tokens.css'
import './styles/base.css'
import './components/components.css'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
