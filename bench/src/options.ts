import { parseArgs } from 'node:util';

/** How one bench run is configured from the command line. */
export interface BenchOptions {
  quick: boolean;
  warmupSeconds: number;
  measureSeconds: number;
  connections: number;
  /** Scenario ids to run; empty means all. */
  only: string[];
  /** Scenario id to run with the API under `node --cpu-prof`, or 'auto' (slowest catalog read of latest.json). */
  profile: string | undefined;
  skipBuild: boolean;
  /** Extra `node` flags for every API process (e.g. --max-semi-space-size=32), to try runtime settings. */
  apiNodeArgs: string[];
  /** Pin each single-process server to a core of its own (pinning.ts); by default the kernel places it. */
  pin: boolean;
}

export const USAGE = `usage : npm run bench -- [--quick] [--only id,id] [--profile id|auto] [--skip-build]
  --quick            chaque scénario brièvement (2 s de chauffe, 3 s mesurées) : test de fumée
  --only a,b         seulement ces scénarios (ids : voir le tableau de résultats ; coût du traçage :
                     --only products,products-traced)
  --profile id|auto  rejoue un scénario avec l'API sous node --cpu-prof et résume le profil
                     (auto : la lecture catalogue la plus lente de bench/results/latest.json ;
                     products-traced : l'API tracée, avec son puits OTLP)
  --warmup S --duration S --connections N   remplacent les valeurs par défaut (5 s, 15 s, 64)
  --skip-build       ne relance pas turbo build (dist/ et .next/ doivent exister)
  --api-node-args="…" options de node pour chaque processus API (ex. --api-node-args="--max-semi-space-size=32")
  --pin              épingle l'API, l'API tracée et le plafond sur le dernier cœur (taskset) ; sans, le noyau les place
variables reprises pour l'API tracée seulement (sinon défauts du SDK) : OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG,
  OTEL_BSP_*, OTEL_EXPORTER_OTLP_COMPRESSION (ex. OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1)`;

function positiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} attend un entier positif (reçu « ${raw} »)\n${USAGE}`);
  return value;
}

/** Parses the bench's arguments; throws with the usage on a bad one. */
export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      profile: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      connections: { type: 'string' },
      'skip-build': { type: 'boolean', default: false },
      'api-node-args': { type: 'string' },
      pin: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  return {
    quick,
    warmupSeconds: positiveInt('warmup', values.warmup, quick ? 2 : 5),
    measureSeconds: positiveInt('duration', values.duration, quick ? 3 : 15),
    connections: positiveInt('connections', values.connections, 64),
    only: (values.only ?? '').split(',').map((id) => id.trim()).filter(Boolean),
    profile: values.profile,
    skipBuild: values['skip-build'] ?? false,
    apiNodeArgs: (values['api-node-args'] ?? '').split(/\s+/).filter(Boolean),
    pin: values.pin ?? false,
  };
}
