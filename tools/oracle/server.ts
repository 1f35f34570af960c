/**
 * The oracle on HTTP (fastify). Routes map one to one onto Oracle operations; this file only moves
 * bytes and statuses. Every body is read raw (no JSON or form parsing: the API takes CBOR only), every
 * failure answers with docs/protocol.md §5's `{error, detail}` body, and an exception inside a handler
 * becomes a 500 for that request alone: the server keeps serving.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Answer } from './answer.js';
import type { CoverageParams } from './coverage-answer.js';
import type { Oracle } from './oracle.js';

export interface ServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** Connections idle longer than this are closed, ms. Default 65 s. */
  readonly keepAliveMs?: number;
  /** Told about each request that failed inside the oracle (answered 500). */
  readonly onError?: (error: unknown) => void;
}

export interface RunningServer {
  /** http://host:port */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const ERRORS: Record<string, [number, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'too_large'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'malformed'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed'],
};

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  return reply.code(answer.status).headers(answer.headers).send(typeof answer.body === 'string' ? answer.body : Buffer.from(answer.body));
}

const bodyOf = (request: FastifyRequest) => (request.body instanceof Buffer ? new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.length) : undefined);

/** Builds the fastify app for `oracle` without listening (tests may `inject`). */
export function buildApp(oracle: Oracle, options: ServerOptions = {}): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: oracle.config.maxBodyBytes, keepAliveTimeout: options.keepAliveMs ?? 65_000 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onResponse', async (request, reply) => {
    oracle.metrics.request(request.routeOptions.url ?? 'unmatched', reply.statusCode);
  });
  app.setErrorHandler((error: { code?: string; message?: string }, _request, reply) => {
    const [status, code] = ERRORS[error.code ?? ''] ?? [500, 'internal'];
    const detail = status === 500 ? 'the oracle failed to handle this request' : (error.message ?? code);
    if (status === 500) options.onError?.(error);
    void reply.code(status).send({ error: code, detail });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({ error: 'not_found', detail: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  app.get('/v1/oracle', async (_request, reply) => send(reply, oracle.describe()));
  app.get<{ Querystring: { epoch?: string } }>('/v1/entropy', async (request, reply) => send(reply, await oracle.entropyAnswer(request.query.epoch)));
  app.post('/v1/hotspots', async (request, reply) => send(reply, await oracle.onboard(request.headers['content-type'], bodyOf(request))));
  app.post('/v1/receipts', async (request, reply) => send(reply, (await oracle.receipts(request.headers['content-type'], bodyOf(request))).answer));
  app.get('/v1/hotspots', async (_request, reply) => send(reply, await oracle.hotspots()));
  app.get<{ Params: { id: string } }>('/v1/hotspots/:id', async (request, reply) => send(reply, await oracle.hotspot(request.params.id)));
  app.get<{ Params: { n: string }; Querystring: { format?: string } }>('/v1/epochs/:n/rewards',
    async (request, reply) => send(reply, await oracle.rewards(request.params.n, request.query.format)));
  app.get<{ Querystring: CoverageParams }>('/v1/coverage', async (request, reply) => send(reply, await oracle.coverage(request.query)));
  app.get('/healthz', async (_request, reply) => send(reply, await oracle.health()));
  app.get('/metrics', async (_request, reply) => reply.type(oracle.metrics.contentType).send(await oracle.metrics.text()));
  return app;
}

/** Starts listening; `close()` stops accepting, ends idle connections and waits for requests in flight. */
export async function startServer(oracle: Oracle, options: ServerOptions = {}): Promise<RunningServer> {
  const app = buildApp(oracle, options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? 8080 });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 8080);
  const shown = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    close: () => (closed ??= app.close()),
  };
}
