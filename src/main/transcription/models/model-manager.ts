import { notice } from '../../../shared/notice'
import { cpus, totalmem } from 'node:os'
import type { ModelEntry, ModelsView, TranscriptionSettings } from '../../../shared/types'
import { UserFacingError } from '../../errors'
import type { JobHandler } from '../../jobs/runner'
import type { LibrarySettings } from '../../store/library'
import { catalogueEntry, MODEL_CATALOGUE, suggestModel, type CatalogueEntry } from './catalogue'
import { createModelDownloadHandler } from './model-download'
import { ModelFiles } from './model-files'
import { probeEngine } from '../engine'

const thisMachine = () => ({ memoryGb: totalmem() / 2 ** 30, cores: cpus().length })

/**
 * Transcription's settings and the models they choose among: which are installed, which one is used,
 * what Settings shows, and getting more (catalogue downloads, imported files).
 */
export class ModelManager {
  readonly files: ModelFiles

  constructor(
    dataDir: string,
    private readonly settings: LibrarySettings,
    private readonly urlOf: (entry: CatalogueEntry) => string = (entry) => entry.url,
    /** The engine, asked once what it computes on (shown in Settings). */
    private readonly enginePath: string | null = null,
  ) {
    this.files = new ModelFiles(dataDir, settings)
  }

  transcriptionSettings(): TranscriptionSettings {
    return this.settings.get('transcription')
  }

  async updateSettings(patch: Partial<TranscriptionSettings>): Promise<void> {
    if (patch.modelId && !this.files.get(patch.modelId))
      throw new UserFacingError('invalid-argument', notice('model.not-installed'))
    await this.settings.update('transcription', patch)
  }

  /** The model transcription uses: the chosen one, else any installed one; null if none is installed. */
  active(): { id: string; path: string; name: string } | null {
    const chosen = this.transcriptionSettings().modelId
    const id = chosen && this.files.get(chosen) ? chosen : Object.keys(this.files.installed())[0]
    return id ? this.files.usable(id) : null
  }

  suggest(machine = thisMachine()): string {
    return suggestModel(this.transcriptionSettings().language, machine)
  }

  view(): ModelsView {
    const installed = this.files.installed()
    const entries: ModelEntry[] = MODEL_CATALOGUE.map((e) => ({
      id: e.id,
      name: e.name,
      sizeMb: e.sizeMb,
      multilingual: e.multilingual,
      quantized: e.quantized,
      realtimeFactor: e.realtimeFactor,
      note: e.note,
      source: 'catalogue',
      installed: Boolean(this.files.get(e.id)),
      verification: this.files.get(e.id)?.verification ?? null,
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
    const machine = thisMachine()
    return {
      models: entries,
      activeModelId: this.active()?.id ?? null,
      suggestedModelId: this.suggest(machine),
      machine: { memoryGb: Math.round(machine.memoryGb), cores: machine.cores },
      engine: this.engineBackend(),
      settings: this.transcriptionSettings(),
    }
  }

  /** What transcription computes on, as Settings shows it. */
  private engineBackend(): ModelsView['engine'] {
    const probe = this.enginePath ? probeEngine(this.enginePath) : null
    return probe && { gpu: probe.gpu, cpuFeatures: probe.cpuFeatures }
  }

  catalogueEntry(id: string): CatalogueEntry {
    return catalogueEntry(id)
  }

  import(path: string): Promise<string> {
    return this.files.import(path)
  }

  /** Removes an installed model; if it was the chosen one, transcription falls back to another. */
  async remove(id: string): Promise<void> {
    await this.files.remove(id)
    if (this.transcriptionSettings().modelId === id) await this.updateSettings({ modelId: null })
  }

  downloadHandler(): JobHandler<'model-download'> {
    return createModelDownloadHandler(this.files, this.urlOf)
  }
}
