import { strToU8, zipSync, type Zippable } from 'fflate';
import { programServices, type ProgramService } from './program-services.js';
import { projectFiles, projectName, type RealRuntime } from './project-files.js';

/** A problem that stops the program from running (as the transpiler reports it), positioned in the TypeScript. */
export interface ProgramProblem {
  message: string;
  line?: number;
  column?: number;
}

/** What {@link buildProjectZip} needs. */
export interface ProjectZipInput {
  code: string;
  /** Names the project (an example id or title). */
  name: string;
  title: string;
  runtime: RealRuntime;
  /** Checks that the code transpiles (the page's transpiler); resolves to the problem, or undefined. */
  check: (code: string) => Promise<ProgramProblem | undefined>;
  /** Modification time of the files in the zip; default now. */
  mtime?: Date;
}

/** A zip to download, or why none was made. */
export type ProjectZip = { ok: true; fileName: string; folder: string; bytes: Uint8Array; services: ProgramService[] } | { ok: false; message: string };

/**
 * "Download as project": the program as a project that runs on a real
 * RabbitMQ (see `projectFiles`), zipped in a folder of its own. Code that
 * does not transpile makes no zip: the answer says why and where.
 *
 * @example
 * const zip = await buildProjectZip({ code, name: 'message-queue', title: 'Message queue', runtime, check });
 * if (zip.ok) download(zip.fileName, zip.bytes); else show(zip.message);
 */
export async function buildProjectZip(input: ProjectZipInput): Promise<ProjectZip> {
  const problem = await input.check(input.code);
  if (problem) {
    const at = problem.line === undefined ? '' : `Line ${problem.line}${problem.column === undefined ? '' : `, column ${problem.column}`}: `;
    return { ok: false, message: `No project was made: fix the code first. ${at}${problem.message}` };
  }
  const folder = projectName(input.name);
  const services = programServices(input.code);
  const files = projectFiles({ code: input.code, name: folder, title: input.title, services, runtime: input.runtime });
  const mtime = input.mtime ?? new Date();
  const tree: Zippable = {};
  for (const [path, text] of Object.entries(files)) tree[`${folder}/${path}`] = [strToU8(text), { mtime }];
  return { ok: true, fileName: `${folder}.zip`, folder, bytes: zipSync(tree, { level: 6 }), services };
}
