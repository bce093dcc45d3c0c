// SPDX-License-Identifier: GPL-3.0-or-later
// Two services traced with the OpenTelemetry JS SDK, exported as OTLP/HTTP
// JSON and as Zipkin v2 JSON to a local collector that writes the bodies.
'use strict';
const http = require('http');
const fs = require('fs');
const { trace, context, SpanKind, SpanStatusCode, ROOT_CONTEXT } = require('@opentelemetry/api');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { ZipkinExporter } = require('@opentelemetry/exporter-zipkin');

const otlpBodies = [];
const zipkinSpans = [];
const collector = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    if (req.url === '/v1/traces') otlpBodies.push(body);
    else if (req.url === '/api/v2/spans') zipkinSpans.push(...JSON.parse(body));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function busy(ms) { const end = Date.now() + ms; let x = 0; while (Date.now() < end) x++; return x; }

function provider(name, port) {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': name, 'service.version': '1.0.0' }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` })),
      new BatchSpanProcessor(new ZipkinExporter({ url: `http://127.0.0.1:${port}/api/v2/spans` })),
    ],
  });
}

async function backend(tracer, parentCtx, item) {
  const server = tracer.startSpan('POST /charge', { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'item': item } }, parentCtx);
  const ctx = trace.setSpan(parentCtx, server);
  const auth = tracer.startSpan('authorize', {}, ctx); busy(3); auth.end();
  for (let i = 0; i < 3; i++) {
    const q = tracer.startSpan('SELECT stock', { kind: SpanKind.CLIENT, attributes: { 'db.system': 'postgresql', 'db.statement': 'SELECT qty FROM stock WHERE id = $1' } }, ctx);
    await sleep(4 + i * 3);
    q.end();
  }
  if (item === 'broken') {
    server.addEvent('exception', { 'exception.type': 'Error', 'exception.message': 'card declined' });
    server.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
  }
  server.end();
}

async function main() {
  await new Promise((r) => collector.listen(0, '127.0.0.1', r));
  const port = collector.address().port;
  const fp = provider('frontend', port), bp = provider('backend', port);
  const ft = fp.getTracer('shop-frontend', '1.0.0'), bt = bp.getTracer('shop-backend', '1.0.0');

  for (const item of ['book', 'broken']) {
    const root = ft.startSpan(`GET /checkout`, { kind: SpanKind.SERVER, attributes: { 'http.route': '/checkout', 'item': item } }, ROOT_CONTEXT);
    const rctx = trace.setSpan(ROOT_CONTEXT, root);
    const render = ft.startSpan('render cart', {}, rctx); busy(5); render.end();
    // two calls in parallel
    const calls = [0, 1].map(async (k) => {
      const client = ft.startSpan('POST', { kind: SpanKind.CLIENT, attributes: { 'server.address': 'backend', 'call': k } }, rctx);
      await backend(bt, trace.setSpan(ROOT_CONTEXT, client), item);
      client.end();
    });
    await Promise.all(calls);
    const log = ft.startSpan('audit log', { links: [{ context: root.spanContext() }] }, ROOT_CONTEXT); await sleep(2); log.end();
    root.end();
  }
  await fp.forceFlush(); await bp.forceFlush();
  await fp.shutdown(); await bp.shutdown();
  fs.writeFileSync('otlp.jsonl', otlpBodies.map((b) => JSON.stringify(JSON.parse(b)) + '\n').join(''));
  fs.writeFileSync('zipkin.json', JSON.stringify(zipkinSpans, null, 1));
  collector.close();
  console.log('otlp bodies', otlpBodies.length, 'zipkin spans', zipkinSpans.length);
}
main();
