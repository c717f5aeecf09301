// The backup area's public surface, for the bench's drill and other packages' tests.
export { backupFiles, restoreFiles, listArchives } from './borg.js';
export { drill, FINGERPRINT_SQL, type DrillReport } from './drill.js';
export { writeJobMetrics, withJobMetrics, metricsFile } from './metrics.js';
export { backupNow, backupInfo, backupStatus, initStanza, restore, archiveState, parseTarget } from './pgbackrest.js';
export { renderBackup } from './render.js';
export { createTestCluster, installRendered, type TestCluster } from './testing.js';
