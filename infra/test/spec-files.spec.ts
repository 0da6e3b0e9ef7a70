import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

/**
 * Jest runs without --passWithNoTests, so a project whose test target
 * matches nothing fails; but a test file that no target matches (a
 * misnamed spec, or a spec in a project without the target for its kind)
 * would still never run, silently. This finds both.
 */
const ROOT = join(__dirname, '..', '..');
const SOURCE_FOLDERS = ['apps', 'libs', 'e2e', 'infra'];
const SKIPPED = new Set(['node_modules', 'dist', 'generated', 'tmp', 'coverage']);

/** A name that says "test": foo.spec.ts, foo.test.ts, foo.int-spec.ts, foo-spec.js, foo.spec.tsx… */
const LOOKS_LIKE_A_TEST = /\.(spec|test)\b|[-_.]spec\.|\.int[-_]?spec/i;
const UNIT_SPEC = /\.spec\.ts$/;
const INTEGRATION_SPEC = /\.int\.spec\.ts$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (SKIPPED.has(name) || name.startsWith('.')) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The project a file belongs to: the nearest folder above it with a project.json, and that project's targets. */
function projectOf(file: string): { root: string; targets: string[] } | null {
  for (let dir = dirname(file); dir.startsWith(ROOT) && dir !== ROOT; dir = dirname(dir)) {
    try {
      const project = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { targets?: Record<string, unknown> };
      return { root: dir, targets: Object.keys(project.targets ?? {}) };
    } catch {
      // no project.json here: look further up
    }
  }
  return null;
}

describe('test files', () => {
  const testFiles = SOURCE_FOLDERS.flatMap((folder) => filesUnder(join(ROOT, folder))).filter((file) => LOOKS_LIKE_A_TEST.test(basename(file)));

  it('finds the test files at all', () => {
    expect(testFiles.filter((file) => INTEGRATION_SPEC.test(file)).length).toBeGreaterThan(10);
    expect(testFiles.filter((file) => UNIT_SPEC.test(file) && !INTEGRATION_SPEC.test(file)).length).toBeGreaterThan(10);
  });

  it('are all named *.spec.ts (unit) or *.int.spec.ts (integration), which is all jest looks for', () => {
    expect(testFiles.filter((file) => !UNIT_SPEC.test(file)).map((file) => relative(ROOT, file))).toEqual([]);
  });

  it('each belong to a project whose target of their kind runs them', () => {
    const unrun = testFiles
      .filter((file) => UNIT_SPEC.test(file))
      .flatMap((file) => {
        const target = INTEGRATION_SPEC.test(file) ? 'int-test' : 'test';
        const project = projectOf(file);
        const runs = project !== null && project.targets.includes(target) && readdirSync(project.root).includes('jest.config.js');
        return runs ? [] : [`${relative(ROOT, file)} (needs a "${target}" target in ${project ? relative(ROOT, project.root) : 'a project'})`];
      });
    expect(unrun).toEqual([]);
  });

  it('leave no project with a target that would find nothing to run (jest fails it)', () => {
    const projects = new Map<string, string[]>();
    for (const folder of SOURCE_FOLDERS) {
      for (const file of filesUnder(join(ROOT, folder)).filter((path) => basename(path) === 'project.json')) {
        const project = projectOf(file);
        if (project) projects.set(project.root, project.targets);
      }
    }
    const runsNothing = [...projects].flatMap(([root, targets]) => {
      const specs = testFiles.filter((file) => projectOf(file)?.root === root);
      const kinds = { test: specs.some((file) => !INTEGRATION_SPEC.test(file)), 'int-test': specs.some((file) => INTEGRATION_SPEC.test(file)) };
      return (['test', 'int-test'] as const).filter((target) => targets.includes(target) && !kinds[target]).map((target) => `${relative(ROOT, root)}:${target}`);
    });
    expect(projects.size).toBeGreaterThan(10);
    expect(runsNothing).toEqual([]);
  });
});
