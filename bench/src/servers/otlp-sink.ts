// A test double for SigNoz's OTLP/HTTP collector: node:http on loopback, in the bench's own process,
// answering 200 `{}` to POST /v1/traces and counting what it received (requests, bytes, spans by name).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** What the sink has received so far (or during a period, see `diffOtlpCounts`). */
export interface OtlpCounts {
  /** POST /v1/traces requests (one per exported batch). */
  requests: number;
  /** Body bytes as sent on the wire (before gunzip, when the exporter compresses). */
  bytes: number;
  spans: number;
  /** Spans by "name (kind)", e.g. "GET (serveur)". */
  spansByName: Record<string, number>;
  /** Trace requests whose body could not be decoded (still answered 200). */
  undecoded: number;
  /** Requests to any other path (answered 404): none are expected, the SDK exports traces only. */
  otherRequests: number;
  /** Time spent in the sink's own handler (decoding, counting), in ms: its cost to the bench process. */
  handlerMs: number;
}

/** The running sink: its origin (the value for OTEL_EXPORTER_OTLP_ENDPOINT) and its counters. */
export interface OtlpSink {
  origin: string;
  counts(): OtlpCounts;
  stop(): Promise<void>;
}

const SPAN_KINDS = ['non précisé', 'interne', 'serveur', 'client', 'producteur', 'consommateur'];

function emptyCounts(): OtlpCounts {
  return { requests: 0, bytes: 0, spans: 0, spansByName: {}, undecoded: 0, otherRequests: 0, handlerMs: 0 };
}

/** `after - before`: what arrived between two `counts()` calls. */
export function diffOtlpCounts(before: OtlpCounts, after: OtlpCounts): OtlpCounts {
  const spansByName: Record<string, number> = {};
  for (const [name, count] of Object.entries(after.spansByName)) {
    const delta = count - (before.spansByName[name] ?? 0);
    if (delta > 0) spansByName[name] = delta;
  }
  return {
    requests: after.requests - before.requests,
    bytes: after.bytes - before.bytes,
    spans: after.spans - before.spans,
    spansByName,
    undecoded: after.undecoded - before.undecoded,
    otherRequests: after.otherRequests - before.otherRequests,
    handlerMs: after.handlerMs - before.handlerMs,
  };
}

// --- Just enough protobuf to find the spans of an ExportTraceServiceRequest -------------------------------
// ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
// ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
// ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
// Span { ... string name = 5; SpanKind kind = 6; ... }

type FieldVisitor = (field: number, wireType: number, start: number, end: number, varint: number) => void;

function readVarint(buf: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let i = at; i < buf.length && i < at + 10; i += 1) {
    const byte = buf[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, i + 1];
    scale *= 128;
  }
  throw new Error('varint tronqué');
}

/** Calls `visit` for every field of the message in buf[start, end). */
function eachField(buf: Buffer, start: number, end: number, visit: FieldVisitor): void {
  let at = start;
  while (at < end) {
    const [tag, afterTag] = readVarint(buf, at);
    const field = Math.floor(tag / 8);
    const wireType = tag % 8;
    at = afterTag;
    if (wireType === 0) {
      const [value, next] = readVarint(buf, at);
      visit(field, wireType, at, next, value);
      at = next;
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      visit(field, wireType, at, at + size, 0);
      at += size;
    } else if (wireType === 2) {
      const [length, next] = readVarint(buf, at);
      if (next + length > end) throw new Error('champ plus long que le message');
      visit(field, wireType, next, next + length, 0);
      at = next + length;
    } else {
      throw new Error(`type de champ protobuf ${wireType} inattendu`);
    }
  }
  if (at !== end) throw new Error('message protobuf tronqué');
}

function spanLabel(name: string, kind: number): string {
  return `${name} (${SPAN_KINDS[kind] ?? kind})`;
}

function countProtobufSpans(body: Buffer, onSpan: (label: string) => void): void {
  eachField(body, 0, body.length, (field, wireType, start, end) => {
    if (field !== 1 || wireType !== 2) return;
    eachField(body, start, end, (field2, wireType2, start2, end2) => {
      if (field2 !== 2 || wireType2 !== 2) return;
      eachField(body, start2, end2, (field3, wireType3, start3, end3) => {
        if (field3 !== 2 || wireType3 !== 2) return;
        let name = '';
        let kind = 0;
        eachField(body, start3, end3, (spanField, spanWire, s, e, varint) => {
          if (spanField === 5 && spanWire === 2) name = body.toString('utf8', s, e);
          else if (spanField === 6 && spanWire === 0) kind = varint;
        });
        onSpan(spanLabel(name, kind));
      });
    });
  });
}

interface JsonTraces {
  resourceSpans?: { scopeSpans?: { spans?: { name?: string; kind?: number }[] }[] }[];
}

function countJsonSpans(body: Buffer, onSpan: (label: string) => void): void {
  const request = JSON.parse(body.toString('utf8')) as JsonTraces;
  for (const resource of request.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) onSpan(spanLabel(span.name ?? '', span.kind ?? 0));
    }
  }
}

/** Starts the sink on a free loopback port. */
export async function startOtlpSink(): Promise<OtlpSink> {
  const counts = emptyCounts();
  const onSpan = (label: string) => {
    counts.spans += 1;
    counts.spansByName[label] = (counts.spansByName[label] ?? 0) + 1;
  };
  const handle = (req: IncomingMessage, res: ServerResponse, chunks: Buffer[]) => {
    const t0 = performance.now();
    const path = (req.url ?? '').split('?', 1)[0];
    if (req.method !== 'POST' || path !== '/v1/traces') {
      counts.otherRequests += 1;
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const raw = Buffer.concat(chunks);
    counts.requests += 1;
    counts.bytes += raw.length;
    try {
      const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
      if ((req.headers['content-type'] ?? '').includes('json')) countJsonSpans(body, onSpan);
      else countProtobufSpans(body, onSpan);
    } catch {
      counts.undecoded += 1;
    }
    // The exporter treats any 2xx as delivered, whatever the body says.
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    counts.handlerMs += performance.now() - t0;
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, chunks));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts, spansByName: { ...counts.spansByName } }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
