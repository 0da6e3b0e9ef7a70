import { IsOptional, IsString } from 'class-validator';
import { ProblemException } from './problem.exception';
import { ApiValidationPipe } from './validation.pipe';

class OfferBody {
  @IsString()
  name!: string;

  @IsOptional()
  @IsString()
  note?: string;
}

async function refusal(pipe: ApiValidationPipe, value: unknown, type: 'body' | 'query' | 'param', data?: string) {
  try {
    await pipe.transform(value, { type, metatype: type === 'body' ? OfferBody : String, data });
  } catch (error) {
    if (error instanceof ProblemException) return { status: error.problem.status, errors: error.problem.errors };
    throw error;
  }
  return null;
}

describe('ApiValidationPipe and the storable-text rule', () => {
  const pipe = new ApiValidationPipe({ transform: true });

  it('refuses a body whose text no store could hold, naming every such field before any other check', async () => {
    expect(await refusal(pipe, { name: 'a\u0000b', note: '\ud800', unknown: 'x' }, 'body')).toEqual({
      status: 400,
      errors: [
        { field: 'name', reason: expect.stringMatching(/^must not contain NUL/) },
        { field: 'note', reason: expect.stringMatching(/^must not contain NUL/) },
      ],
    });
  });

  it('names a refused key and a nested value by its path', async () => {
    const found = await refusal(pipe, { name: 'ok', ['b\u0001ad']: 'x' }, 'body');
    expect(found?.errors).toEqual([{ field: 'b\\u0001ad', reason: expect.any(String) }]);
  });

  it('refuses query parameters and path parameters alike', async () => {
    expect((await refusal(pipe, { sub1: ['ok', 'x\u0000'] }, 'query'))?.errors).toEqual([{ field: 'sub1[1]', reason: expect.any(String) }]);
    expect((await refusal(pipe, '1\u0000', 'param', 'id'))?.errors).toEqual([{ field: 'id', reason: expect.any(String) }]);
  });

  it('lets storable text through: tabs, line breaks, emoji, anything percent-like', async () => {
    expect(await refusal(pipe, { name: 'Summer\tsale 😀\r\n%ZZ' }, 'body')).toBeNull();
  });
});
