import { useT } from '../../state/locale'
import { useWork } from '../../state/work'

/** Says, where the user looks, that downloads and transcriptions wait for disk space (or a writable library). */
export function WorkPausedBanner() {
  const t = useT()
  const paused = useWork((state) => state.status.paused)
  if (!paused) return null
  return (
    <div className="banner problem" role="alert">
      {t(paused === 'disk-full' ? 'work.pausedDiskFull' : 'work.pausedStorage')}
    </div>
  )
}
