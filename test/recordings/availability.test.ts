import { encodeNotice, notice, type Notice } from '../../src/shared/notice'
import { describe, expect, it } from 'vitest'
import {
  describeAvailability,
  fromTwilioStatus,
  NO_RECORDING_REASON,
  RETRY_AFTER_SEC,
} from '../../src/main/recordings/availability'
import type { JobView, RecordingAvailability } from '../../src/shared/types'

type Stored = Parameters<typeof describeAvailability>[0]
type Job = Pick<JobView, 'state' | 'progress' | 'lastError'> | null

const stored = (
  availability: NonNullable<Stored>['availability'],
  twilioStatus = 'completed',
  reason: Notice | null = null,
): Stored => ({
  availability,
  availability_reason: reason && encodeNotice(reason),
  twilio_status: twilioStatus,
})
const job = (
  state: JobView['state'],
  progress: number | null = null,
  lastError: Notice | null = null,
): Job => ({
  state,
  progress,
  lastError,
})

describe('the recording availability state machine', () => {
  it.each<[string, string, number | null, { availability: string; reason: Notice | null }]>([
    ['completed', 'completed', null, { availability: 'preparing', reason: null }],
    ['still recording', 'in-progress', null, { availability: 'preparing', reason: null }],
    ['processing', 'processing', null, { availability: 'preparing', reason: null }],
    [
      'absent with an error',
      'absent',
      13617,
      { availability: 'missing', reason: notice('recording.no-audio', { errorCode: 13617 }) },
    ],
    ['absent', 'absent', null, { availability: 'missing', reason: notice('recording.no-audio') }],
    [
      'deleted',
      'deleted',
      null,
      { availability: 'missing', reason: notice('recording.deleted-before-download') },
    ],
    [
      'failed',
      'failed',
      13618,
      { availability: 'failed', reason: notice('recording.twilio-failed', { errorCode: 13618 }) },
    ],
  ])('Twilio says %s → the recording is %j', (_, status, errorCode, expected) => {
    expect(fromTwilioStatus(status, errorCode)).toEqual(expected)
  })

  it.each<[string, Stored, Job, RecordingAvailability]>([
    ['no recording at all', undefined, null, { state: 'missing', reason: NO_RECORDING_REASON }],
    ['downloaded', stored('ready'), job('done', 1), { state: 'ready' }],
    [
      'missing, with its reason',
      stored('missing', 'deleted', notice('recording.deleted-at-twilio')),
      null,
      { state: 'missing', reason: notice('recording.deleted-at-twilio') },
    ],
    ['missing, no reason kept', stored('missing'), null, { state: 'missing', reason: NO_RECORDING_REASON }],
    [
      'failed: the stored reason wins over the job’s',
      stored('failed', 'completed', notice('download.not-audio', { format: 'MP3' })),
      job('failed', null, notice('download.http', { status: 500 })),
      { state: 'failed', reason: notice('download.not-audio', { format: 'MP3' }) },
    ],
    [
      'failed: else the job’s error',
      stored('failed'),
      job('failed', null, notice('download.http', { status: 500 })),
      { state: 'failed', reason: notice('download.http', { status: 500 }) },
    ],
    [
      'Twilio still processing: slow poll hint, whatever the job',
      stored('preparing', 'processing'),
      job('queued'),
      {
        state: 'preparing',
        stage: 'twilio-processing',
        progress: null,
        retryAfterSec: RETRY_AFTER_SEC.twilioProcessing,
      },
    ],
    [
      'downloading, with progress',
      stored('preparing'),
      job('running', 0.42),
      {
        state: 'preparing',
        stage: 'downloading',
        progress: 0.42,
        retryAfterSec: RETRY_AFTER_SEC.downloading,
      },
    ],
    [
      'waiting for its turn',
      stored('preparing'),
      job('queued'),
      { state: 'preparing', stage: 'queued', progress: null, retryAfterSec: RETRY_AFTER_SEC.queued },
    ],
    [
      'no download job yet',
      stored('preparing'),
      null,
      { state: 'preparing', stage: 'queued', progress: null, retryAfterSec: RETRY_AFTER_SEC.queued },
    ],
    [
      'its download failed for good',
      stored('preparing'),
      job('failed', null, notice('job.interrupted', { times: 5 })),
      { state: 'failed', reason: notice('job.interrupted', { times: 5 }) },
    ],
  ])('%s', (_, recording, downloadJob, expected) => {
    expect(describeAvailability(recording, downloadJob)).toEqual(expected)
  })

  it('every preparing answer carries a retry hint, so no fallback poll can spin', () => {
    for (const status of ['completed', 'processing', 'in-progress'])
      for (const state of ['queued', 'running', 'blocked'] as const) {
        const answer = describeAvailability(stored('preparing', status), job(state))
        if (answer.state === 'preparing') expect(answer.retryAfterSec).toBeGreaterThan(0)
      }
  })

  it('reads a reason an older version stored as text', () => {
    expect(describeAvailability(stored('missing', 'deleted', null), null)).toEqual({
      state: 'missing',
      reason: NO_RECORDING_REASON,
    })
    const legacy = {
      availability: 'missing' as const,
      availability_reason: 'Gone.',
      twilio_status: 'deleted',
    }
    expect(describeAvailability(legacy, null)).toEqual({
      state: 'missing',
      reason: notice('unexpected', { detail: 'Gone.' }),
    })
  })
})
