import { app } from 'electron'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { builtPaths, startElectronApp } from './electron/app'

const mainDir = dirname(fileURLToPath(import.meta.url))
const resourcesDir = app.isPackaged ? process.resourcesPath : join(mainDir, '../../resources')
startElectronApp(builtPaths(mainDir, resourcesDir, app.isPackaged))
