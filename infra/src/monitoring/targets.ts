import { parse } from 'yaml';
import { JOBS } from './layout.js';

interface ScrapeConfig {
  job_name?: string;
  static_configs?: { targets?: string[] }[];
}

/**
 * The loopback ports a rendered prometheus.yml scrapes for `job` (default: the API workers), in file
 * order. `infra check` compares them with the PM2 workers' metrics ports. Throws when the job is absent
 * or a target is not `127.0.0.1:<port>`.
 */
export function prometheusTargets(prometheusYml: string, job: string = JOBS.api): number[] {
  const config = parse(prometheusYml) as { scrape_configs?: ScrapeConfig[] } | null;
  const scrape = config?.scrape_configs?.find((candidate) => candidate.job_name === job);
  if (!scrape) throw new Error(`prometheus.yml : aucun job « ${job} »`);
  return (scrape.static_configs ?? []).flatMap((group) =>
    (group.targets ?? []).map((target) => {
      const match = /^127\.0\.0\.1:(\d{1,5})$/.exec(target);
      if (!match) throw new Error(`prometheus.yml : la cible « ${target} » du job ${job} n'est pas 127.0.0.1:<port>`);
      return Number(match[1]);
    }),
  );
}

/** The API workers' metrics ports Prometheus scrapes (job girlycrea-api): what `infra check` wires in. */
export function prometheusApiTargets(prometheusYml: string): number[] {
  return prometheusTargets(prometheusYml, JOBS.api);
}
