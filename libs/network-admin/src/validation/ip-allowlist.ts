import { ValidationOptions } from 'class-validator';
import { isIP } from 'node:net';
import { checkedBy } from './checked';

const MAX_RULES = 100;

/** One allowlist entry: an IPv4/IPv6 address or a CIDR range such as 203.0.113.0/24. */
export function ipRuleProblem(rule: string): string | null {
  const [address, prefix, extra] = rule.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return `"${rule}" is not an IP address or CIDR range`;
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return `"${rule}" has a prefix length outside 0..${bits}`;
  return null;
}

export function ipAllowlistProblem(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be an array of IP addresses and CIDR ranges';
  if (value.length > MAX_RULES) return `must hold at most ${MAX_RULES} entries`;
  for (const rule of value) {
    if (typeof rule !== 'string') return 'must hold only strings';
    const problem = ipRuleProblem(rule);
    if (problem) return `holds ${problem}`;
  }
  return null;
}

export const IsIpAllowlist = (options?: ValidationOptions) => checkedBy('isIpAllowlist', ipAllowlistProblem, options);
