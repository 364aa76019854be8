/**
 * The Pages workflow publishes what the tests tested: it runs the tests first, then builds dist/
 * with the command and base-path variable the end-to-end tests build with (build/site-build.ts),
 * and publishes that dist/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SITE_BASE_ENV, SITE_BUILD_COMMAND } from '../../build/site-build.js';

const workflow = readFileSync(new URL('../../.github/workflows/pages.yml', import.meta.url), 'utf8');

/** The jobs of the workflow, each as its lines of YAML (two-space indented job names under `jobs:`). */
function jobs(text: string): Map<string, string> {
  const body = text.slice(text.indexOf('\njobs:\n') + 7);
  const out = new Map<string, string>();
  for (const block of body.split(/\n(?=  [\w-]+:\n)/)) {
    const name = /^ {2}([\w-]+):/.exec(block)?.[1];
    if (name) out.set(name, block);
  }
  return out;
}

/** The steps of a job: each `- ` item under `steps:`, as text. */
const steps = (job: string): string[] => job.slice(job.indexOf('steps:')).split(/\n\s+- /).slice(1);

describe('the Pages workflow', () => {
  const all = jobs(workflow);

  it('tests, then builds, then deploys', () => {
    expect([...all.keys()]).toEqual(['test', 'build', 'deploy']);
    expect(all.get('build')).toMatch(/\n {4}needs: test\n/);
    expect(all.get('deploy')).toMatch(/\n {4}needs: build\n/);
  });

  it('runs the tests as .ci/run does, on Debian (apt chromium and rabbitmq-server)', () => {
    const test = all.get('test')!;
    expect(test).toMatch(/container:\n {6}image: node:20-bookworm\n/);
    expect(steps(test).some((s) => /run: \.ci\/run\s*$/.test(s))).toBe(true);
    const ci = readFileSync(new URL('../../.ci/run', import.meta.url), 'utf8');
    expect(ci).toMatch(/apt-get install .*"\$\{missing\[@\]\}"/);
    expect(ci).toContain('npm ci');
    expect(ci).toContain('npm test');
  });

  it('builds with the command and base-path variable the end-to-end tests use, under the Pages sub-path', () => {
    const build = steps(all.get('build')!);
    const buildStep = build.filter((s) => s.includes('run: npm run build'));
    expect(buildStep).toHaveLength(1);
    expect(buildStep[0]).toContain(`run: ${SITE_BUILD_COMMAND}\n`);
    expect(buildStep[0]).toMatch(new RegExp(`env:\\s+${SITE_BASE_ENV}: \\$\\{\\{ steps\\.pages\\.outputs\\.base_path \\}\\}/\\s*$`));
    // The base path comes from actions/configure-pages, whose step has that id.
    expect(build.some((s) => s.includes('id: pages') && s.includes('uses: actions/configure-pages@'))).toBe(true);
    // dist/ is what is published, and nothing rebuilds it in between.
    const after = build.slice(build.indexOf(buildStep[0]!) + 1);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatch(/uses: actions\/upload-pages-artifact@v\d+\s+with:\s+path: dist\s*$/);
  });

  it('deploys with the Pages permissions only where they are needed', () => {
    expect(workflow).toMatch(/^permissions:\n {2}contents: read\n/m);
    const deploy = all.get('deploy')!;
    expect(deploy).toMatch(/pages: write/);
    expect(deploy).toMatch(/id-token: write/);
    expect(steps(deploy).some((s) => s.includes('uses: actions/deploy-pages@'))).toBe(true);
  });
});
