import { many, one, type Queryable, type Tx } from '@girlycrea/db';

/** The admin making a change, as the audit log names them. */
export interface Actor {
  id: string;
  email: string;
}

/** One admin write, as the owner reads it. */
export interface AuditEntry {
  id: number;
  actorEmail: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
  createdAt: string;
}

interface AuditRow {
  id: string;
  actor_email: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  created_at: Date;
}

/** Records one admin write; called inside the write's own transaction so both commit or neither. */
export async function recordAudit(
  tx: Tx,
  actor: Actor,
  entry: { action: string; entityType: string; entityId: string; before?: unknown; after?: unknown },
): Promise<void> {
  await one(
    tx,
    `INSERT INTO audit_log (actor_id, actor_email, action, entity_type, entity_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [actor.id, actor.email, entry.action, entry.entityType, entry.entityId, jsonOrNull(entry.before), jsonOrNull(entry.after)],
  );
}

const jsonOrNull = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The audit log, newest first, optionally for one entity. */
export async function listAudit(
  db: Queryable,
  filter: { entityType?: string | undefined; entityId?: string | undefined; page: number; limit: number },
): Promise<{ items: AuditEntry[]; page: number; limit: number; total: number }> {
  const where = 'WHERE ($1::text IS NULL OR entity_type = $1) AND ($2::text IS NULL OR entity_id = $2)';
  const params = [filter.entityType ?? null, filter.entityId ?? null];
  const rows = await many<AuditRow>(
    db,
    `SELECT id, actor_email, action, entity_type, entity_id, before, after, created_at FROM audit_log ${where}
     ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
    [...params, filter.limit, (filter.page - 1) * filter.limit],
  );
  const { total } = await one<{ total: number }>(db, `SELECT count(*)::int AS total FROM audit_log ${where}`, params);
  return {
    items: rows.map((row) => ({
      id: Number(row.id),
      actorEmail: row.actor_email,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      before: row.before,
      after: row.after,
      createdAt: row.created_at.toISOString(),
    })),
    page: filter.page,
    limit: filter.limit,
    total,
  };
}
