import { useShallow } from 'zustand/react/shallow'
import { useT } from '../../state/locale'
import { useSearch } from '../../state/search'
import { useCalls } from '../../state/calls'
import { usePlayer } from '../../state/player'
import { formatClock, formatDateTime } from '../../format'
import { PartyName } from '../../components/PartyName'
import './search.css'

export function SearchResults() {
  const t = useT()
  const { hits, error, clear } = useSearch(
    useShallow((state) => ({ hits: state.hits, error: state.error, clear: state.clear })),
  )
  const select = useCalls((state) => state.select)
  const seekInCall = usePlayer((state) => state.seekInCall)
  if (hits === null) return null
  return (
    <section className="search-results" aria-label={t('search.results')}>
      {error && <p role="alert">{error}</p>}
      {hits.length === 0 && <p className="empty">{t('search.none')}</p>}
      <ul>
        {hits.map((hit) => (
          <li key={hit.callSid}>
            <button
              type="button"
              onClick={() => {
                // Opens the call at the matching moment, applied when that call's audio is ready (not to
                // the audio of the call open now).
                if (hit.atMs !== null) seekInCall(hit.callSid, hit.atMs, useCalls.getState().selectedSid)
                select(hit.callSid)
                clear()
              }}
            >
              <span className="when">{formatDateTime(hit.startedAt)}</span>
              <PartyName value={hit.direction === 'inbound' ? hit.from : hit.to} />
              <span className="source">{t(`search.source.${hit.source}`)}</span>
              {hit.atMs !== null && <span className="time">{formatClock(hit.atMs)}</span>}
              <span className="snippet" dir="auto">
                {hit.snippet.map((part, index) =>
                  part.hit ? <mark key={index}>{part.text}</mark> : part.text,
                )}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
