import { useNoticeText } from '../../state/locale'
import { isDesk, useOffice } from '../../state/office'

/** Says when this desk cannot reach the office server, or the server no longer accepts it. */
export function OfficeBanner() {
  const say = useNoticeText()
  const status = useOffice((state) => state.status)
  if (!isDesk(status) || !status.problem) return null
  return (
    <div className="banner problem" role="alert">
      {say(status.problem)}
    </div>
  )
}
