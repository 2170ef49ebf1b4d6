import { createHash } from 'node:crypto'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { createReadStream, existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { cpus, totalmem } from 'node:os'
import { pipeline } from 'node:stream/promises'
import type { ModelEntry, ModelsView, TranscriptionSettings } from '../../shared/types'
import { UserFacingError } from '../errors'
import { JobError, type JobHandler } from '../jobs/runner'
import { fsyncPath, saveResponseBody } from '../net/save-response'
import type { SettingsRepository } from '../store/settings'
import type { SettingValue } from '../store/settings-schema'

interface CatalogueEntry {
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
  note: string | null
}

const WHISPER_CPP = 'https://huggingface.co/ggerganov/whisper.cpp/resolve/main'
const entry = (
  id: string,
  sizeMb: number,
  realtimeFactor: number,
  sha1: string | null = null,
  note: string | null = null,
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
  entry(
    'tiny',
    75,
    30,
    'bd577a113a864445d4c299885e0cb97d4ba92b5f',
    'Fastest; rough on accents and noisy lines.',
  ),
  entry('tiny.en', 75, 30, 'c78c86eb1a8faa21b369bcd33207cc90d64ae9df', 'English only.'),
  entry('base', 142, 14, '465707469ff3a37a2b9b8d8f89f2f99de7299dac'),
  entry('base.en', 142, 14, '137c40403d78fd54d454da0f9bd998f78703390c', 'English only.'),
  entry('base-q5_1', 57, 16),
  entry('small', 466, 5),
  entry('small.en', 466, 5, null, 'English only.'),
  entry('small-q5_1', 181, 6),
  entry('medium', 1533, 1.8),
  entry('large-v3-turbo', 1624, 2.5, null, 'Best accuracy for the time it takes.'),
  entry(
    'large-v3-turbo-q5_0',
    547,
    3,
    null,
    'Large-v3-turbo, quantized: a third of the size, nearly the same accuracy.',
  ),
  entry('large-v3-turbo-q8_0', 874, 2.8),
  {
    id: 'ivrit-large-v3-turbo',
    name: 'ivrit.ai Whisper large-v3-turbo (Hebrew)',
    file: 'ggml-ivrit-large-v3-turbo.bin',
    url: 'https://huggingface.co/ivrit-ai/whisper-large-v3-turbo-ggml/resolve/main/ggml-model.bin',
    sizeMb: 1624,
    multilingual: true,
    quantized: false,
    realtimeFactor: 2.5,
    sha1: null,
    note: 'Fine-tuned by ivrit.ai on Hebrew speech: the best choice for Hebrew calls.',
  },
]

/** whisper.cpp's file magic ("ggml" as a little-endian word). */
const GGML_MAGIC = 0x67676d6c

export async function isGgmlModel(path: string): Promise<boolean> {
  const handle = await open(path, 'r')
  try {
    const head = Buffer.alloc(4)
    const { bytesRead } = await handle.read(head, 0, 4, 0)
    return bytesRead === 4 && head.readUInt32LE(0) === GGML_MAGIC
  } finally {
    await handle.close()
  }
}

async function digest(path: string, algorithm: 'sha1' | 'sha256'): Promise<string> {
  const hash = createHash(algorithm)
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

type Installed = SettingValue<'models.installed'>[string]

/** Which Whisper models are on this machine, which one is used, and getting more. */
/** A model's record by id: own keys only, so an id like "__proto__" finds nothing. */
function installedRecord(installed: Record<string, Installed>, id: string): Installed | undefined {
  return Object.hasOwn(installed, id) ? installed[id] : undefined
}

export class ModelManager {
  readonly dir: string

  constructor(
    dataDir: string,
    private readonly settings: SettingsRepository,
    private readonly urlOf: (entry: CatalogueEntry) => string = (entry) => entry.url,
  ) {
    this.dir = join(dataDir, 'models')
  }

  transcriptionSettings(): TranscriptionSettings {
    return this.settings.get('transcription')
  }

  updateSettings(patch: Partial<TranscriptionSettings>): void {
    if (patch.modelId && !installedRecord(this.installed(), patch.modelId))
      throw new UserFacingError('invalid-argument', 'That model is not installed yet.')
    this.settings.update('transcription', patch)
  }

  /** The model transcription uses: the chosen one, else any installed one; null if none is installed. */
  active(): { id: string; path: string; name: string } | null {
    const installed = this.installed()
    const chosen = this.transcriptionSettings().modelId
    const id = chosen && installedRecord(installed, chosen) ? chosen : Object.keys(installed)[0]
    if (!id) return null
    const record = installedRecord(installed, id) as Installed
    const path = join(this.dir, record.file)
    if (!existsSync(path)) return null
    return { id, path, name: record.name ?? MODEL_CATALOGUE.find((e) => e.id === id)?.name ?? id }
  }

  suggest(machine = { memoryGb: totalmem() / 2 ** 30, cores: cpus().length }): string {
    const { language } = this.transcriptionSettings()
    const englishOnly = language === 'en'
    if (machine.memoryGb < 6 || machine.cores <= 2) return englishOnly ? 'base.en' : 'base'
    if (machine.memoryGb < 12) return englishOnly ? 'small.en' : 'small'
    return language === 'he' ? 'ivrit-large-v3-turbo' : 'large-v3-turbo-q5_0'
  }

  view(): ModelsView {
    const installed = this.installed()
    const entries: ModelEntry[] = MODEL_CATALOGUE.map((e) => ({
      id: e.id,
      name: e.name,
      sizeMb: e.sizeMb,
      multilingual: e.multilingual,
      quantized: e.quantized,
      realtimeFactor: e.realtimeFactor,
      note: e.note,
      source: 'catalogue',
      installed: Boolean(installed[e.id]),
      verification: installed[e.id]?.verification ?? null,
    }))
    for (const [id, record] of Object.entries(installed)) {
      if (MODEL_CATALOGUE.some((e) => e.id === id)) continue
      entries.push({
        id,
        name: record.name ?? id,
        sizeMb: 0,
        multilingual: true,
        quantized: false,
        realtimeFactor: 0,
        note: null,
        source: 'imported',
        installed: true,
        verification: record.verification,
      })
    }
    return {
      models: entries,
      activeModelId: this.active()?.id ?? null,
      suggestedModelId: this.suggest(),
      machine: { memoryGb: Math.round(totalmem() / 2 ** 30), cores: cpus().length },
      settings: this.transcriptionSettings(),
    }
  }

  catalogueEntry(id: string): CatalogueEntry {
    const found = MODEL_CATALOGUE.find((e) => e.id === id)
    if (!found) throw new UserFacingError('not-found', `No model "${id}" in the catalogue`)
    return found
  }

  /** Copies a model file the user already has (offline PCs) after checking it is a whisper.cpp model. */
  async import(path: string): Promise<string> {
    try {
      return await this.importFile(path)
    } catch (error) {
      // A path the user typed can be anything: a file that cannot be read is their answer, not a bug.
      const code = (error as NodeJS.ErrnoException).code
      if (error instanceof UserFacingError || typeof code !== 'string') throw error
      throw new UserFacingError('invalid-argument', `Could not read ${path} (${code}).`)
    }
  }

  private async importFile(path: string): Promise<string> {
    if (!existsSync(path) || !(await stat(path)).isFile())
      throw new UserFacingError('invalid-argument', `No file at ${path}`)
    if (!(await isGgmlModel(path))) {
      throw new UserFacingError(
        'invalid-argument',
        'That file is not a whisper.cpp (ggml) model. Models end in .bin and come from the whisper.cpp project.',
      )
    }
    await mkdir(this.dir, { recursive: true })
    const name = basename(path).replace(/[^\w.-]/g, '_')
    const id = `imported:${name}`
    const file = `imported-${name}`
    await copyFile(path, join(this.dir, `${file}.part`))
    await fsyncPath(join(this.dir, `${file}.part`), 'r+')
    await rename(join(this.dir, `${file}.part`), join(this.dir, file))
    this.record(id, {
      file,
      sha256: await digest(join(this.dir, file), 'sha256'),
      verification: 'format',
      name,
    })
    return id
  }

  async remove(id: string): Promise<void> {
    const installed = this.installed()
    const record = installedRecord(installed, id)
    if (!record) throw new UserFacingError('not-found', `Model ${id} is not installed`)
    delete installed[id]
    this.settings.set('models.installed', installed)
    if (this.transcriptionSettings().modelId === id) this.updateSettings({ modelId: null })
    await rm(join(this.dir, record.file), { force: true })
  }

  /** The `model` job: resumable download, then format and checksum checks, then the file goes live. */
  downloadHandler(): JobHandler<'model-download'> {
    return async (job, { signal, progress }) => {
      const entry = this.catalogueEntry(job.subject)
      const partialDir = join(this.dir, '.partial')
      await mkdir(partialDir, { recursive: true })
      const partPath = join(partialDir, `${entry.file}.part`)
      const offset = existsSync(partPath) ? (await stat(partPath)).size : 0
      let response: Response
      try {
        response = await fetch(this.urlOf(entry), {
          headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
          signal,
        })
      } catch (error) {
        if (signal.aborted) throw error
        throw new JobError(
          `Could not reach the model server (${(error as Error).cause ?? (error as Error).message})`,
          { retryable: true },
        )
      }
      if (response.status === 416) {
        await rm(partPath, { force: true })
        throw new JobError('The partial model download no longer matches; starting over', {
          retryable: true,
          retryAfterMs: 0,
        })
      }
      if (response.status !== 200 && response.status !== 206) {
        throw new JobError(`The model server answered HTTP ${response.status}`, {
          retryable: response.status >= 500 || response.status === 429,
        })
      }
      await saveResponseBody(response, { partPath, offset, signal, progress, what: 'model' })
      if (!(await isGgmlModel(partPath))) {
        await rm(partPath, { force: true })
        throw new JobError('The downloaded file is not a whisper.cpp model', { retryable: false })
      }
      if (entry.sha1) {
        const actual = await digest(partPath, 'sha1')
        if (actual !== entry.sha1) {
          await rm(partPath, { force: true })
          throw new JobError(
            `The downloaded model is damaged (SHA-1 ${actual.slice(0, 12)}…, expected ${entry.sha1.slice(0, 12)}…); downloading again`,
            { retryable: true },
          )
        }
      }
      await fsyncPath(partPath, 'r+')
      const target = join(this.dir, entry.file)
      await rename(partPath, target)
      const sha256 = await digest(target, 'sha256')
      return () =>
        this.record(entry.id, { file: entry.file, sha256, verification: entry.sha1 ? 'checksum' : 'format' })
    }
  }

  private installed(): Record<string, Installed> {
    return this.settings.get('models.installed')
  }

  private record(id: string, installed: Installed): void {
    this.settings.set('models.installed', { ...this.installed(), [id]: installed })
  }
}
