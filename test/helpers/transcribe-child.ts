/**
 * Child process for the transcription crash test: real services on a data folder prepared by the
 * parent, running the transcription job queue. Prints "progress" once the job is under way and "done"
 * when the transcript is stored.
 */
import { createTestServices } from './services'

const [dataDir] = process.argv.slice(2)
const { services } = createTestServices(dataDir as string)
let announced = false
services.events.subscribe((name, payload) => {
  if (name === 'job.progress' && !announced && (payload as { progress: number }).progress > 0) {
    announced = true
    process.stdout.write('progress\n')
  }
  if (
    name === 'job.changed' &&
    (payload as { kind: string; state: string }).kind === 'recording-transcription' &&
    (payload as { state: string }).state === 'done'
  ) {
    process.stdout.write('done\n')
    void services.close().then(() => process.exit(0))
  }
})
await services.start()
setInterval(() => undefined, 1000)
