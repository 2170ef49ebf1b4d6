import { useJobs, workOn } from '../state/jobs'
import { useT } from '../state/locale'
import { Chip } from './StatusChip'

/** "Transcribing 42 %" on a call's row or its detail, live from main's job events; nothing when idle. */
export function WorkChip({ recordingSid }: { recordingSid: string | null }) {
  const t = useT()
  const job = useJobs((state) => workOn(state.jobs, recordingSid))
  if (!job || job.kind === 'model-download') return null
  const percent = job.progress === null ? null : Math.round(job.progress * 100)
  const label = percent === null ? t(`work.${job.kind}`) : t(`work.${job.kind}.percent`, { percent })
  return <Chip kind="working" label={label} tone="info" />
}
