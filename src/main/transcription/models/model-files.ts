import { notice } from '../../../shared/notice'
import { copyFile, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { basename, join } from 'node:path'
import { UserFacingError } from '../../errors'
import { fsyncPath } from '../../net/save-response'
import { digest } from '../../storage/digest'
import type { LibrarySettings } from '../../store/library'
import type { SettingValue } from '../../store/settings-schema'
import { MODEL_CATALOGUE } from './catalogue'

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

export type InstalledModel = SettingValue<'models.installed'>[string]

/** The model files in the data folder and the record of each (its file, checksum, how it was verified). */
export class ModelFiles {
  readonly dir: string

  constructor(
    dataDir: string,
    private readonly settings: LibrarySettings,
  ) {
    this.dir = join(dataDir, 'models')
  }

  installed(): Record<string, InstalledModel> {
    return this.settings.get('models.installed')
  }

  /** A model's record by id: own keys only, so an id like "__proto__" finds nothing. */
  get(id: string): InstalledModel | undefined {
    const installed = this.installed()
    return Object.hasOwn(installed, id) ? installed[id] : undefined
  }

  /** The file of an installed model that is still on disk, with its display name; else null. */
  usable(id: string): { id: string; path: string; name: string } | null {
    const record = this.get(id)
    if (!record) return null
    const path = join(this.dir, record.file)
    if (!existsSync(path)) return null
    return { id, path, name: record.name ?? MODEL_CATALOGUE.find((e) => e.id === id)?.name ?? id }
  }

  async record(id: string, installed: InstalledModel): Promise<void> {
    await this.settings.set('models.installed', { ...this.installed(), [id]: installed })
  }

  /** Copies a model file the user already has (offline PCs) after checking it is a whisper.cpp model. */
  async import(path: string): Promise<string> {
    try {
      return await this.importFile(path)
    } catch (error) {
      // A path the user typed can be anything: a file that cannot be read is their answer, not a bug.
      const code = (error as NodeJS.ErrnoException).code
      if (error instanceof UserFacingError || typeof code !== 'string') throw error
      throw new UserFacingError('invalid-argument', notice('model.unreadable', { path, code }))
    }
  }

  /** Forgets an installed model and deletes its file. */
  async remove(id: string): Promise<void> {
    const record = this.get(id)
    if (!record) throw new UserFacingError('not-found', notice('model.not-installed'))
    const { [id]: _removed, ...rest } = this.installed()
    await this.settings.set('models.installed', rest)
    await rm(join(this.dir, record.file), { force: true })
  }

  private async importFile(path: string): Promise<string> {
    if (!existsSync(path) || !(await stat(path)).isFile())
      throw new UserFacingError('invalid-argument', notice('model.no-file', { path }))
    if (!(await isGgmlModel(path))) {
      throw new UserFacingError('invalid-argument', notice('model.not-ggml'))
    }
    await mkdir(this.dir, { recursive: true })
    const name = basename(path).replace(/[^\w.-]/g, '_')
    const id = `imported:${name}`
    const file = `imported-${name}`
    await copyFile(path, join(this.dir, `${file}.part`))
    await fsyncPath(join(this.dir, `${file}.part`), 'r+')
    await rename(join(this.dir, `${file}.part`), join(this.dir, file))
    await this.record(id, {
      file,
      sha256: await digest(join(this.dir, file), 'sha256'),
      verification: 'format',
      name,
    })
    return id
  }
}
