declare const config: import('electron-builder').Configuration
export default config
