import { useShallow } from 'zustand/react/shallow'
import { useId, useState } from 'react'
import { formatDateTime } from '../../format'
import { useT } from '../../state/locale'
import { useWorkspace } from '../../state/workspace'

const FIRST_IMPORT_DAYS = [7, 30, 90, 365]
const OLDER_IMPORT_DAYS = [90, 180, 365, 730]

/**
 * How far back the library reaches. Before the first sync: how many days it will import (the first run
 * and Settings). After: from when calls were imported, and an "import older calls" that reaches further.
 */
export function ImportRange() {
  const t = useT()
  const id = useId()
  const view = useWorkspace((state) => state.view)
  const { updateSettings, importOlder } = useWorkspace(
    useShallow((state) => ({ updateSettings: state.updateSettings, importOlder: state.importOlder })),
  )
  const [olderDays, setOlderDays] = useState(OLDER_IMPORT_DAYS[0] as number)
  const [asked, setAsked] = useState(false)
  if (!view) return null
  const { firstSyncDays } = view.settings
  if (view.importedFrom === null)
    return (
      <p className="import-range">
        <label htmlFor={`${id}-first`}>{t('import.firstLabel')}</label>{' '}
        <select
          id={`${id}-first`}
          value={firstSyncDays}
          onChange={(event) => void updateSettings({ firstSyncDays: Number(event.target.value) })}
        >
          {[...new Set([...FIRST_IMPORT_DAYS, firstSyncDays])].map((days) => (
            <option key={days} value={days}>
              {t('import.days', { days })}
            </option>
          ))}
        </select>
      </p>
    )
  return (
    <div className="import-range">
      <p>{t('import.from', { date: formatDateTime(view.importedFrom) })}</p>
      <label htmlFor={`${id}-older`}>{t('import.olderLabel')}</label>{' '}
      <select
        id={`${id}-older`}
        value={olderDays}
        onChange={(event) => setOlderDays(Number(event.target.value))}
      >
        {OLDER_IMPORT_DAYS.map((days) => (
          <option key={days} value={days}>
            {t('import.days', { days })}
          </option>
        ))}
      </select>{' '}
      <button
        type="button"
        disabled={asked}
        onClick={() => {
          setAsked(true)
          void importOlder(olderDays)
        }}
      >
        {asked ? t('import.olderStarted') : t('import.older')}
      </button>
    </div>
  )
}
