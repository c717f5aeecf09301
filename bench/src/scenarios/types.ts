import type { Fixtures } from '../fixtures.js';
import type { LoadPlan } from '../load/run-load.js';
import type { OtlpSink } from '../servers/otlp-sink.js';

/** Which server a scenario loads ('traced': a second single API with OpenTelemetry tracing on; 'nginx': the VPS's Nginx in front of the API and Next). */
export type ServerKind = 'baseline' | 'api' | 'traced' | 'cluster' | 'next' | 'nginx';

/** What a scenario measures, for the targets and the profile's choice. */
export type ScenarioKind = 'baseline' | 'catalog' | 'cart' | 'checkout' | 'page';

/** What a scenario can use to build its plan. */
export interface ScenarioContext {
  /** Origin of the server under load. */
  origin: string;
  /** Origin of an API process (for preflight requests; the same as `origin` for API scenarios). */
  apiOrigin: string;
  fixtures: Fixtures;
  quick: boolean;
  /** The storefront's app routes (from the Next build manifest). */
  storefrontRoutes: string[];
  /** The OTLP sink the traced API exports to (only for the 'traced' server). */
  otlpSink?: OtlpSink;
}

/** A plan, or why the scenario cannot run yet. */
export type PlanResult = LoadPlan | { skip: string };

/** One line of the results table. */
export interface Scenario {
  id: string;
  title: string;
  server: ServerKind;
  kind: ScenarioKind;
  plan(context: ScenarioContext): Promise<PlanResult>;
}
