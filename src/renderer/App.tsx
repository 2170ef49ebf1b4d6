import { useEffect, useState } from 'react'
import { CallList } from './features/calls/CallList'
import { CallDetailPane } from './features/call-detail/CallDetailPane'
import { ActivityPanel } from './features/activity/ActivityPanel'
import { SearchBox, SearchResults } from './features/search/SearchResults'
import { connectEvents } from './state/events'

type View = 'calls' | 'activity'

export function App() {
  const [view, setView] = useState<View>('calls')
  useEffect(() => connectEvents(), [])

  return (
    <div className="app">
      <header className="topbar">
        <h1>CallScribe</h1>
        <nav aria-label="Sections">
          <button type="button" aria-pressed={view === 'calls'} onClick={() => setView('calls')}>
            Calls
          </button>
          <button type="button" aria-pressed={view === 'activity'} onClick={() => setView('activity')}>
            Activity
          </button>
        </nav>
        <SearchBox />
      </header>
      <SearchResults />
      {view === 'calls' ? (
        <main className="split">
          <CallList />
          <CallDetailPane />
        </main>
      ) : (
        <main>
          <ActivityPanel />
        </main>
      )}
    </div>
  )
}
