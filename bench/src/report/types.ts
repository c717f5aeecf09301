import type { LoadStats } from '../load/run-load.js';
import type { ScenarioKind, ServerKind } from '../scenarios/types.js';

/** The outcome of one scenario. */
export interface ScenarioResult {
  id: string;
  title: string;
  server: ServerKind;
  kind: ScenarioKind;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  /** What the rate counts: "req" or a flow's operation (e.g. "commandes"). */
  unit: string;
  stats?: LoadStats;
  /** Peak VmRSS in bytes of each watched process during warm-up and measure. */
  rssPeaks?: Record<string, number>;
  /** Share of the machine's CPU (0–1) other processes used during the measured period. */
  foreignCpu?: number;
  /** CPU time of the watched server processes per request (or operation), in µs: unaffected by other load. */
  serverCpuMicrosPerOp?: number;
  /** CPU of all PostgreSQL backends and of Redis per operation, in µs (machine-wide: approximate). */
  postgresCpuMicrosPerOp?: number;
  redisCpuMicrosPerOp?: number;
  /** Rate divided by the baseline's requests per second. */
  ratioToBaseline?: number;
  note?: string;
}

/** One target of issue 8 and whether the run met it (null: not measured). */
export interface TargetCheck {
  target: string;
  actual: string;
  met: boolean | null;
}
