import { timeLeftSec, useJobs, waitsForModel, workOn } from '../state/jobs'
import { useT } from '../state/locale'
import { Chip } from './StatusChip'

/** "Transcribing 42 %" on a call's row or its detail, live from main's job events; nothing when idle. */
export function WorkChip({ recordingSid }: { recordingSid: string | null }) {
  const t = useT()
  const job = useJobs((state) => workOn(state.jobs, recordingSid))
  const start = useJobs((state) => (job ? state.progressStarts[job.id] : undefined))
  const waiting = useJobs((state) => !job && waitsForModel(state.jobs, recordingSid))
  if (waiting) return <Chip kind="working" label={t('work.waitingForModel')} tone="info" />
  if (!job || job.kind === 'model-download') return null
  const percent = job.progress === null ? null : Math.round(job.progress * 100)
  const label = percent === null ? t(`work.${job.kind}`) : t(`work.${job.kind}.percent`, { percent })
  const left = timeLeftSec(start, job.progress)
  const withTime =
    left === null
      ? label
      : `${label} · ${left < 60 ? t('work.secondsLeft', { n: Math.max(left, 1) }) : t('work.minutesLeft', { n: Math.round(left / 60) })}`
  return <Chip kind="working" label={withTime} tone="info" />
}
