import { notice, type Notice } from '../../../shared/notice'
import { UserFacingError } from '../../errors'
import type { TranscriptionSettings } from '../../../shared/types'

export interface CatalogueEntry {
  id: string
  name: string
  file: string
  url: string
  sizeMb: number
  multilingual: boolean
  quantized: boolean
  realtimeFactor: number
  /** Published SHA-1 (whisper.cpp's models/README); null where this catalogue has none to check against. */
  sha1: string | null
  note: Notice | null
}

const WHISPER_CPP = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main'
const entry = (
  id: string,
  sizeMb: number,
  realtimeFactor: number,
  sha1: string | null = null,
  note: Notice | null = null,
): CatalogueEntry => ({
  id,
  name: `Whisper ${id}`,
  file: `ggml-${id}.bin`,
  url: `${WHISPER_CPP}/ggml-${id}.bin`,
  sizeMb,
  multilingual: !id.includes('.en'),
  quantized: /-q\d/.test(id),
  realtimeFactor,
  sha1,
  note,
})

/**
 * Models a user can download. Speeds are rough multiples of real time on a 4-core laptop CPU, scaled from
 * the tiny/base timings measured on this project's build machine; sizes are the published file sizes.
 */
export const MODEL_CATALOGUE: CatalogueEntry[] = [
  entry('tiny', 75, 30, 'bd577a113a864445d4c299885e0cb97d4ba92b5f', notice('model.fastest')),
  entry('tiny.en', 75, 30, 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df', notice('model.english-only')),
  entry('base', 142, 14, '465707469ff3a37a2b9b8d8f89f2f99de7299dac'),
  entry('base.en', 142, 14, '137c40403d78fd54d454da0f9bd998f78703390c', notice('model.english-only')),
  entry('base-q5_1', 57, 16),
  entry('small', 466, 5),
  entry('small.en', 466, 5, null, notice('model.english-only')),
  entry('small-q5_1', 181, 6),
  entry('medium', 1533, 1.8),
  entry('large-v3-turbo', 1624, 2.5, null, notice('model.best-accuracy')),
  entry('large-v3-turbo-q5_0', 547, 3, null, notice('model.turbo-quantized')),
  entry('large-v3-turbo-q8_0', 874, 2.8),
  {
    id: 'ivrit-large-v3-turbo',
    name: 'ivrit.ai Whisper large-v3-turbo',
    file: 'ggml-ivrit-large-v3-turbo.bin',
    url: 'https://huggingface.co/ivrit-ai/whisper-large-v3-turbo-ggml/resolve/main/ggml-model.bin',
    sizeMb: 1624,
    multilingual: true,
    quantized: false,
    realtimeFactor: 2.5,
    sha1: null,
    note: notice('model.hebrew-fine-tuned'),
  },
]

/** A catalogue entry by id; a request for one that does not exist says so. */
export function catalogueEntry(id: string): CatalogueEntry {
  const found = MODEL_CATALOGUE.find((e) => e.id === id)
  if (!found) throw new UserFacingError('not-found', notice('model.not-in-catalogue', { id }))
  return found
}

export interface Machine {
  memoryGb: number
  cores: number
}

/** The model to suggest for this machine and the calls' language. */
export function suggestModel(language: TranscriptionSettings['language'], machine: Machine): string {
  const englishOnly = language === 'en'
  if (machine.memoryGb < 6 || machine.cores <= 2) return englishOnly ? 'base.en' : 'base'
  if (machine.memoryGb < 12) return englishOnly ? 'small.en' : 'small'
  return language === 'he' ? 'ivrit-large-v3-turbo' : 'large-v3-turbo-q5_0'
}
