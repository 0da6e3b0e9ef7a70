import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { OpenAPIObject } from '@nestjs/swagger';
import pino from 'pino';
import { declareProblemDetails } from './openapi';
import { asksForJson, problemForStatus } from './problem';
import { ProblemDetailsFilter } from './problem-details.filter';
import { invalid, unavailable } from './problem.exception';

function answer(exception: unknown) {
  const sent: { status?: number; headers: Record<string, string>; body?: Record<string, unknown> } = { headers: {} };
  const reply = {
    code: (status: number) => ((sent.status = status), reply),
    header: (name: string, value: string) => ((sent.headers[name] = value), reply),
    send: (body: string) => void (sent.body = JSON.parse(body)),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new ProblemDetailsFilter(pino({ level: 'silent' })).catch(exception, host);
  return sent;
}

describe('ProblemDetailsFilter', () => {
  it('answers our problems as they are, with their headers, never cached', () => {
    const sent = answer(unavailable('try later', 5));
    expect(sent).toMatchObject({ status: 503, headers: { 'retry-after': '5', 'cache-control': 'no-store', 'content-type': 'application/problem+json' } });
    expect(sent.body).toEqual({ type: 'urn:tracklane:problem:unavailable', title: 'Temporarily unavailable', status: 503, detail: 'try later', retryAfterSeconds: 5 });
    expect(answer(invalid('name', 'is required')).body).toMatchObject({ status: 400, detail: 'name: is required', errors: [{ field: 'name', reason: 'is required' }] });
  });

  it("turns Nest's and Fastify's own refusals into problems with their status", () => {
    expect(answer(new NotFoundException('Cannot GET /v1/nope')).body).toMatchObject({ type: 'urn:tracklane:problem:not-found', status: 404, detail: 'Cannot GET /v1/nope' });
    const unsupported = Object.assign(new Error('Unsupported Media Type: application/xml'), { statusCode: 415 });
    expect(answer(unsupported).body).toEqual({ type: 'about:blank', title: 'Unsupported Media Type', status: 415, detail: 'Unsupported Media Type: application/xml' });
  });

  it('answers a lost race 409, a cancelled query 503, and anything else 500 without its insides', () => {
    expect(answer(Object.assign(new Error('unique'), { code: 'P2002' })).status).toBe(409);
    expect(answer(Object.assign(new Error('duplicate key value'), { code: '23505' })).body).toMatchObject({ type: 'urn:tracklane:problem:conflict' });
    expect(answer(Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' })).status).toBe(503);
    const internal = answer(new Error('password=hunter2 in a stack'));
    expect(internal.body).toEqual({ type: 'urn:tracklane:problem:internal', title: 'Internal error', status: 500, detail: 'something went wrong on our side' });
  });
});

describe('problem helpers', () => {
  it('use about:blank and the status phrase where we have no kind of our own', () => {
    expect(problemForStatus(405, 'no')).toEqual({ type: 'about:blank', title: 'Method Not Allowed', status: 405, detail: 'no' });
    expect(problemForStatus(403, 'no').type).toBe('urn:tracklane:problem:forbidden');
  });

  it('tell a client that asks for JSON from a browser', () => {
    expect(asksForJson('application/problem+json')).toBe(true);
    expect(asksForJson('application/json, text/plain;q=0.5')).toBe(true);
    expect(asksForJson('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
    expect(asksForJson('*/*')).toBe(false);
    expect(asksForJson(undefined)).toBe(false);
  });
});

describe('declareProblemDetails', () => {
  it('declares every error answer of every operation as problem details', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/things/{id}': {
          get: { responses: { 200: { description: 'ok' }, 503: { description: 'slow', content: { 'application/json': {} } } } },
          delete: { responses: { 200: { description: 'ok' } } },
        },
      },
    } as unknown as OpenAPIObject;
    const declared = declareProblemDetails(document).paths['/v1/things/{id}'] as Record<string, { responses: Record<string, { description: string; content?: object }> }>;
    expect(Object.keys(declared.get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '429', '500', '503']);
    expect(Object.keys(declared.delete.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '429', '500']);
    expect(declared.get.responses['503']).toEqual({
      description: 'slow',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
    });
    expect(declared.get.responses['200']).toEqual({ description: 'ok' });
  });
});
