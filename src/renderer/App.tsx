import { useEffect, useState } from 'react'
import { CallList } from './features/calls/CallList'
import { CallDetailPane } from './features/call-detail/CallDetailPane'
import { ActivityPanel } from './features/activity/ActivityPanel'
import { FirstRun } from './features/onboarding/FirstRun'
import { SearchBox } from './features/search/SearchBox'
import { SearchResults } from './features/search/SearchResults'
import { SettingsPage } from './features/settings/SettingsPage'
import { SyncStatusBar } from './features/sync/SyncStatusBar'
import { connectEvents } from './state/events'
import { usePreferences, useT } from './state/locale'
import { useSync } from './state/sync'
import { useWork } from './state/work'
import { WorkPausedBanner } from './features/sync/WorkPausedBanner'
import { useWorkspace } from './state/workspace'
import { useKeyboardShortcuts } from './keyboard'
import { ModelBanner } from './features/onboarding/ModelBanner'
import { SetupStep } from './features/onboarding/SetupStep'
import { useJobs } from './state/jobs'
import { useCalls } from './state/calls'
import { useCallDetail } from './state/call-detail'
import { followConnection, useConnection } from './state/connection'
import { ConnectionBanner } from './components/ConnectionBanner'
import { useOffice } from './state/office'
import { OfficeBanner } from './features/office/OfficeBanner'
import { BrowserSignIn } from './features/office/BrowserSignIn'

const findSearchBox = () => document.querySelector<HTMLInputElement>('input.search-box')

type View = 'calls' | 'activity' | 'settings'

function loadEverything(): void {
  void usePreferences.getState().load()
  void useOffice.getState().load()
  void useWorkspace.getState().load()
  void useSync.getState().load()
  void useWork.getState().load()
  // Jobs already running show on their calls from the start; events keep them current.
  void useJobs.getState().load()
}

function reloadLibrary(): void {
  loadEverything()
  void useCalls.getState().load()
  void useCallDetail.getState().refresh()
}

export function App() {
  const t = useT()
  const [view, setView] = useState<View>('calls')
  const onboarded = usePreferences((state) => state.onboarded)
  const preferencesLoaded = usePreferences((state) => state.loaded)
  const workspace = useWorkspace((state) => state.view)
  const connection = useConnection((state) => state.state)
  // What happened at the office while this desk was away shows once it is back.
  useEffect(() => connectEvents(reloadLibrary), [])
  useKeyboardShortcuts(findSearchBox)
  useEffect(() => {
    loadEverything()
    followConnection(reloadLibrary)
  }, [])

  // A browser at the office server, before it signs in (or once the office signed it out).
  if (connection === 'signed-out' && preferencesLoaded) return <BrowserSignIn />
  if (!workspace || !preferencesLoaded) return <ConnectionBanner />
  if (workspace.mode !== null && !onboarded) {
    return (
      <div className="app">
        <header className="topbar">
          <h1>{t('app.name')}</h1>
        </header>
        <ConnectionBanner />
        <SetupStep />
      </div>
    )
  }
  if (workspace.mode === null && view !== 'settings') {
    return (
      <div className="app">
        <header className="topbar">
          <h1>{t('app.name')}</h1>
        </header>
        <ConnectionBanner />
        <FirstRun />
      </div>
    )
  }

  const tab = (name: View, label: string) => (
    <button type="button" aria-pressed={view === name} onClick={() => setView(name)}>
      {label}
    </button>
  )
  return (
    <div className="app">
      <header className="topbar">
        <h1>{t('app.name')}</h1>
        {workspace.mode === 'demo' && <span className="chip chip-info">{t('demo.badge')}</span>}
        <nav aria-label={t('nav.sections')}>
          {tab('calls', t('nav.calls'))}
          {tab('activity', t('nav.activity'))}
          {tab('settings', t('nav.settings'))}
        </nav>
        <SyncStatusBar />
        <SearchBox />
      </header>
      <ConnectionBanner />
      <OfficeBanner />
      <SearchResults />
      <WorkPausedBanner />
      <ModelBanner onChoose={() => setView('settings')} />
      {view === 'calls' && (
        <main className="split">
          <CallList />
          <CallDetailPane />
        </main>
      )}
      {view === 'activity' && <ActivityPanel />}
      {view === 'settings' && <SettingsPage />}
    </div>
  )
}
