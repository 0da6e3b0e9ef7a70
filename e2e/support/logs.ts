import { SERVICES, WholePlatform } from './whole-platform';

/** The warnings and errors with an error attached among a service's log lines (pino JSON). */
export function loggedErrors(logs: string): string[] {
  return logs.split('\n').flatMap((line) => {
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      return (entry.level ?? 0) >= 40 && entry.err ? [`${entry.msg}: ${entry.err.message}`] : [];
    } catch {
      return []; // not a log line (a warning of Node's)
    }
  });
}

/** Every service's logged errors, each prefixed with the service's name. */
export function platformErrors(world: WholePlatform): string[] {
  return SERVICES.flatMap((app) => loggedErrors(world.platform.logs(app)).map((error) => `${app}: ${error}`));
}
