import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { transpile } from '../../../src/runner/transpiler/transpile.js';
import { ProjectDownload } from '../../../src/ui/app/project-download.js';
import type { ProjectExportDeps } from '../../../src/ui/app-deps.js';
import { fakeDeps } from '../fake-app-deps.js';

const CODE = "import { service } from 'playground';\nservice('payment-service');\nexport default async function main() {}\n";

function setup(projectExport?: ProjectExportDeps) {
  const { deps, world } = fakeDeps();
  const banners: Array<{ tone: string; message: string }> = [];
  const projects = new ProjectDownload({ deps: () => ({ ...deps, ...(projectExport ? { projectExport } : {}) }), banners: { add: (tone, message) => banners.push({ tone, message }) } });
  return { projects, world, banners };
}

const working: ProjectExportDeps = {
  loadRuntime: () => Promise.resolve({ source: '// runtime\n', dependencies: { amqplib: '2.3.1', express: '5.3.0' } }),
  check: async (code) => {
    const out = transpile(code, { playgroundUrl: 'playground' });
    return out.ok ? undefined : out.error;
  },
};

describe('ProjectDownload', () => {
  it('downloads the zip as bytes and says what it holds', async () => {
    const { projects, world, banners } = setup(working);
    await projects.download({ code: CODE, exampleId: 'retry-backoff', title: 'Retry' });
    expect(world.downloads).toHaveLength(1);
    const [saved] = world.downloads;
    expect(saved).toMatchObject({ fileName: 'retry-backoff.zip', mimeType: 'application/zip', text: '' });
    expect(Object.keys(unzipSync(saved!.bytes!))).toContain('retry-backoff/src/main.ts');
    expect(banners).toEqual([{ tone: 'info', message: expect.stringContaining('Downloaded retry-backoff.zip: the program with 1 service (payment-service)') }]);
  });

  it('downloads nothing when the code does not compile, or the runtime cannot be loaded, or there is no export at all', async () => {
    const broken = setup(working);
    await broken.projects.download({ code: 'const = 1;', exampleId: 'x', title: 'x' });
    expect(broken.world.downloads).toEqual([]);
    expect(broken.banners).toEqual([{ tone: 'error', message: expect.stringMatching(/^No project was made: fix the code first\. Line 1/) }]);

    const offline = setup({ ...working, loadRuntime: () => Promise.reject(new Error('spp-runtime.mjs: HTTP 404')) });
    await offline.projects.download({ code: CODE, exampleId: 'x', title: 'x' });
    expect(offline.world.downloads).toEqual([]);
    expect(offline.banners[0]!.message).toMatch(/real-mode runtime could not be loaded \(spp-runtime\.mjs: HTTP 404\)/);

    const none = setup();
    await none.projects.download({ code: CODE, exampleId: 'x', title: 'x' });
    expect(none.banners).toEqual([{ tone: 'error', message: 'Downloading a project is not available here.' }]);
  });
});
