// npm run bench -- [--quick] [--only ids] [--profile id|auto]: the shop against a bare node:http ceiling, in one run.
import { runBench } from './bench-run.js';
import { createCleanup } from './cleanup.js';
import { BenchError, progress } from './log.js';
import { parseOptions, USAGE } from './options.js';
import { runProfile } from './profile/run-profile.js';

let options: ReturnType<typeof parseOptions>;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
if (options === 'help') {
  console.log(USAGE);
  process.exit(0);
}

const cleanup = createCleanup();
cleanup.installSignalHandlers();
let code = 1;
try {
  code = options.profile ? await runProfile(cleanup, options) : await runBench(cleanup, options);
} catch (error) {
  console.error(`\n[bench] ÉCHEC : ${(error as Error).message}`);
  if (error instanceof BenchError) console.error(`[bench] à faire : ${error.hint}`);
  else console.error((error as Error).stack);
} finally {
  progress('arrêt de tout ce que le bench a démarré');
  await cleanup.runAll();
}
process.exit(code);
