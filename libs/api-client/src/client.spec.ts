import { dataOf, isProblem, managementClient, reportingClient } from './index';

/** A fetch that records the request and answers as told. */
function fakeFetch(status: number, body: unknown, contentType = 'application/json') {
  const requests: Request[] = [];
  const fetch = async (input: Request) => {
    requests.push(input);
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, requests };
}

describe('the typed API clients', () => {
  it('send the key as a bearer token, never in the URL, and type paths, parameters and answers', async () => {
    const { fetch, requests } = fakeFetch(200, { data: [], nextCursor: null });
    const api = managementClient({ baseUrl: 'http://manage.example/', apiKey: 'tl_abcdefgh_secret', fetch });
    const { data } = await api.GET('/v1/offers', { params: { query: { limit: 10 } } });
    expect(data?.data).toEqual([]);
    expect(requests[0].url).toBe('http://manage.example/v1/offers?limit=10');
    expect(requests[0].headers.get('authorization')).toBe('Bearer tl_abcdefgh_secret');
  });

  it('ask a key function before every request (a console whose user signs in and out)', async () => {
    const { fetch, requests } = fakeFetch(200, { rows: [], meta: {} });
    let key: string | null = null;
    const reports = reportingClient({ baseUrl: 'http://reports.example', apiKey: () => key, fetch });
    await reports.GET('/v1/reports/clicks', { params: { query: { from: '2025-03-01', to: '2025-03-02' } } });
    key = 'tl_abcdefgh_later';
    await reports.GET('/v1/reports/clicks', { params: { query: { from: '2025-03-01', to: '2025-03-02' } } });
    expect(requests.map((request) => request.headers.get('authorization'))).toEqual([null, 'Bearer tl_abcdefgh_later']);
  });

  it('hand over an error answer as problem details', async () => {
    const problem = { type: 'urn:tracklane:problem:invalid-request', title: 'The request is invalid', status: 400, detail: 'name: is required', errors: [{ field: 'name', reason: 'is required' }] };
    const { fetch } = fakeFetch(400, problem, 'application/problem+json');
    const api = managementClient({ baseUrl: 'http://manage.example', apiKey: 'k', fetch });
    const answer = await api.POST('/v1/advertisers', { body: { name: '' } });
    expect(answer.data).toBeUndefined();
    expect(isProblem(answer.error)).toBe(true);
    expect(answer.error).toEqual(problem);
    expect(() => dataOf(answer)).toThrow(/^400 from .*: The request is invalid: name: is required$/);
  });
});
