import { Param, PipeTransform } from '@nestjs/common';
import { invalid } from '../access/errors';

const MAX_ID = 2_147_483_647;

class IdPipe implements PipeTransform<string, number> {
  constructor(private readonly name: string) {}

  transform(value: string): number {
    if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > MAX_ID) throw invalid(this.name, 'must be a positive integer id');
    return Number(value);
  }
}

/** A numeric id from the path, or a 400 naming the parameter. */
export const IdParam = (name: string) => Param(name, new IdPipe(name));
