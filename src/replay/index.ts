export { createReplayRouter } from './router.js';
export { loadReplayFolder, ReplayFolderError, type ReplaySet } from './load.js';
