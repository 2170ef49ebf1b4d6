/**
 * Installers for macOS (dmg + zip), Windows (NSIS) and Linux (AppImage + deb).
 * Unsigned builds need no secret; signing and notarization switch on when their variables are set
 * (README → Releasing). Set CALLSCRIBE_ELECTRON_DIST to package against a local Electron folder offline.
 */
const env = process.env
const exe = process.platform === 'win32' ? '.exe' : ''
const updateUrl = env.CALLSCRIBE_UPDATE_URL
/**
 * better-sqlite3 is a Node-API module: its prebuilt binary loads in Node (tests, browser host) and in
 * Electron alike, so nothing is rebuilt for Electron. Each package keeps only its own platform's binary
 * (unpacked from the archive by the asarUnpack rule below); the macros are electron-builder's.
 */
const onlySqliteBinaryFor = (platform) => [
  `!node_modules/better-sqlite3/prebuilds/!(${platform}-\${arch}).node`,
]

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: 'app.callscribe.desktop',
  productName: 'CallScribe',
  copyright: 'Copyright © 2026 CallScribe',
  directories: { output: 'dist', buildResources: 'resources/build' },
  // better-sqlite3's C++ sources stay home (see onlySqliteBinaryFor for its binaries).
  files: ['out/**', 'package.json', '!**/*.map', '!node_modules/better-sqlite3/{build,deps,src}/**'],
  asar: true,
  // Files the OS or a worker thread must open as real files: native modules, the worker and what it loads.
  asarUnpack: [
    '**/*.node',
    'out/main/transcription-worker.mjs',
    'out/main/chunks/**',
    'node_modules/mpg123-decoder/**',
    'node_modules/@wasm-audio-decoders/**',
    'node_modules/@eshaz/**',
    'node_modules/simple-yenc/**',
  ],
  extraResources: [
    // The transcription engines: a baseline build that runs on any CPU of the platform and faster builds
    // for newer instruction sets beside it (scripts/build-whisper.mjs --release; the app starts the fastest
    // this machine can run). CALLSCRIBE_ENGINE_DIR: the packaging test's stand-in for the release builds.
    {
      from: env.CALLSCRIBE_ENGINE_DIR || 'native/release/bin',
      to: 'bin',
      filter: [`callscribe-whisper${exe}`, `callscribe-whisper-*${exe}`],
    },
    { from: 'resources/demo', to: 'demo', filter: ['*.mp3'] },
  ],
  // Models are never bundled: they are downloaded or imported at run time.
  electronDist: env.CALLSCRIBE_ELECTRON_DIST || undefined,
  // Nothing in node_modules is rebuilt for Electron: the one native module is Node-API (see files).
  npmRebuild: false,
  electronFuses: env.CALLSCRIBE_SKIP_FUSES
    ? null
    : {
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
        grantFileProtocolExtraPrivileges: false,
      },
  publish: updateUrl ? [{ provider: 'generic', url: updateUrl }] : null,
  mac: {
    files: onlySqliteBinaryFor('darwin'),
    target: ['dmg', 'zip'],
    category: 'public.app-category.business',
    icon: 'resources/build/icon.icns',
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: 'resources/build/entitlements.mac.plist',
    entitlementsInherit: 'resources/build/entitlements.mac.plist',
    // Notarize only when Apple credentials are present (API key, or Apple ID + app-specific password).
    notarize: Boolean(env.APPLE_API_KEY || (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD)),
    // Without a certificate, sign ad hoc: flipping the fuses rewrites the Electron binary, and Apple
    // silicon refuses to run code whose signature no longer matches (electron-builder does not do this
    // by itself). A certificate (CSC_LINK / CSC_NAME) selects the real identity instead.
    ...(env.CSC_LINK || env.CSC_NAME ? {} : { identity: '-' }),
  },
  win: {
    files: onlySqliteBinaryFor('win32'),
    target: ['nsis'],
    icon: 'resources/build/icon.ico',
    // Certificate file signing uses CSC_LINK / CSC_KEY_PASSWORD automatically; Azure Trusted Signing
    // when its variables are set.
    ...(env.AZURE_CODE_SIGNING_ACCOUNT
      ? {
          azureSignOptions: {
            endpoint: env.AZURE_CODE_SIGNING_ENDPOINT,
            codeSigningAccountName: env.AZURE_CODE_SIGNING_ACCOUNT,
            certificateProfileName: env.AZURE_CERTIFICATE_PROFILE,
            publisherName: env.AZURE_PUBLISHER_NAME,
          },
        }
      : {}),
  },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  linux: {
    files: onlySqliteBinaryFor('linux'),
    target: ['AppImage', 'deb'],
    icon: 'resources/build/icons',
    category: 'Office',
    maintainer: 'CallScribe <support@callscribe.app>',
    synopsis: 'Review your office phone calls: local transcription and summaries',
  },
  // The deb names what Electron and the app need at run time (libsecret: the keyring behind safeStorage;
  // libasound2 was renamed libasound2t64 in Ubuntu 24.04). The engine links its C++ runtime statically.
  deb: {
    depends: [
      'libgtk-3-0',
      'libnotify4',
      'libnss3',
      'libxss1',
      'libxtst6',
      'xdg-utils',
      'libatspi2.0-0',
      'libuuid1',
      'libsecret-1-0',
      'libasound2 | libasound2t64',
      'libgbm1',
    ],
  },
}

export default config
