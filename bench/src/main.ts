// npm run bench -- [--quick] [--only ids] [--profile id|auto]: the shop against a bare node:http ceiling, in one run.
import { runBench } from './bench-run.js';
import { runCommand } from './cleanup.js';
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

await runCommand((cleanup) => (options.profile ? runProfile(cleanup, options) : runBench(cleanup, options)));
