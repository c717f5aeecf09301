import { z } from 'zod';

const Env = z.object({
  LEGACY_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_DIRECT_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  LEGACY_STAGING_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  LEGACY_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  SUPABASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  SUPABASE_SERVICE_ROLE_KEY: z.string().min(1).optional(),
  UPLOADS_DIR: z.string().startsWith('/').optional(),
  SMOKE_EMAIL: z.email().optional(),
  SMOKE_PASSWORD: z.string().min(1).optional(),
});
/** The variables of the migration and smoke commands (all optional here; each step names what it lacks). */
export type MigrateEnv = z.infer<typeof Env>;

/** Reads the migration's environment once; names every malformed variable. */
export function readMigrateEnv(): MigrateEnv {
  const parsed = Env.safeParse(process.env);
  if (!parsed.success) throw new Error(`variables d'environnement invalides : ${parsed.error.issues.map((i) => `${i.path.join('.')} (${i.message})`).join(', ')}`);
  return parsed.data;
}

/** The value of a variable a step needs, or a French error saying how to set it. */
export function required<K extends keyof MigrateEnv>(env: MigrateEnv, name: K, what: string): NonNullable<MigrateEnv[K]> {
  const value = env[name];
  if (value === undefined) throw new Error(`${name} manque : ${what}`);
  return value as NonNullable<MigrateEnv[K]>;
}
