import { useT } from '../state/locale'
import { useConnection } from '../state/connection'

/** Says when main cannot be reached (the browser host stopped) or this page's link is no longer valid. */
export function ConnectionBanner() {
  const t = useT()
  const state = useConnection((slice) => slice.state)
  if (state === 'disconnected')
    return (
      <div className="banner problem" role="alert">
        {t('connection.lost')}
      </div>
    )
  if (state === 'link-expired')
    return (
      <div className="banner problem" role="alert">
        {t('connection.expired')}
      </div>
    )
  return null
}
