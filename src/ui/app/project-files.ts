/**
 * The files of a project made from the program on the page, to run it on
 * real infrastructure: the program, the prebuilt real-mode runtime, a
 * package.json, a README, a Dockerfile and a docker-compose.yml with one
 * container per service. Pure: every input is a parameter.
 */

import type { ProgramService } from './program-services.js';

/** The prebuilt real-mode runtime (`spp` and the `playground` module in one file) and the packages it imports. */
export interface RealRuntime {
  /** The runtime file's text. */
  source: string;
  /** Packages the file imports, with exact versions (amqplib, express). */
  dependencies: Record<string, string>;
}

/** What {@link projectFiles} makes a project of. */
export interface ProjectInput {
  /** The program's TypeScript. */
  code: string;
  /** The project's folder and package name: lowercase letters, digits and "-". */
  name: string;
  /** What the README calls it. */
  title: string;
  /** The program's services: one container each when they exist at load; the others run with `main()`. */
  services: readonly ProgramService[];
  runtime: RealRuntime;
}

/** Path of the prebuilt runtime inside the project. */
export const RUNTIME_PATH = 'spp.mjs';
/** Where the program lives inside the project. */
export const PROGRAM_PATH = 'src/main.ts';
/** The file a service container writes once it serves (its health check). */
const READY_FILE = '/tmp/spp-ready';

/** A package name from any text: lowercase letters, digits and single dashes. */
export function projectName(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'playground-program'
  );
}

/** The project's files by path (relative to its folder). */
export function projectFiles(input: ProjectInput): Record<string, string> {
  return {
    'package.json': packageJson(input),
    'README.md': readme(input),
    Dockerfile: DOCKERFILE,
    '.dockerignore': 'node_modules\ntraces\n',
    'docker-compose.yml': composeFile(input.services),
    [PROGRAM_PATH]: input.code,
    [RUNTIME_PATH]: input.runtime.source,
  };
}

function packageJson({ name, title, runtime }: ProjectInput): string {
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    description: `${title}: a Service Patterns Playground program on real HTTP services and RabbitMQ`,
    type: 'module',
    engines: { node: '>=20.19' },
    scripts: {
      start: `node ${RUNTIME_PATH} run ${PROGRAM_PATH}`,
      help: `node ${RUNTIME_PATH} run --help`,
    },
    dependencies: Object.fromEntries(Object.entries(runtime.dependencies).sort(([a], [b]) => a.localeCompare(b))),
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const DOCKERFILE = `# One image for every container of docker-compose.yml: the program and its runtime.
FROM node:20-slim
WORKDIR /app
COPY package.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY ${RUNTIME_PATH} ./
COPY src ./src
ENTRYPOINT ["node", "${RUNTIME_PATH}"]
CMD ["run", "${PROGRAM_PATH}"]
`;

/** Container names that the program's services must not take. */
function containerNames(services: readonly ProgramService[]): { broker: string; main: string } {
  const taken = new Set(services.map((s) => s.name));
  return { broker: taken.has('rabbitmq') ? 'spp-rabbitmq' : 'rabbitmq', main: taken.has('main') ? 'spp-main' : 'main' };
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML. */
const q = (s: string) => JSON.stringify(s);
const list = (items: readonly string[]) => `[${items.map(q).join(', ')}]`;

/**
 * docker-compose.yml: RabbitMQ with its management UI; one container per
 * service that exists once the program has loaded, each serving only that
 * one (`--only`, no `main()`) on port 8080, where the others find it by its
 * container name; one container that runs `main()` and serves the services
 * made later (inside a function), or none. Each waits for what it needs to
 * be healthy.
 */
export function composeFile(all: readonly ProgramService[]): string {
  const { broker, main } = containerNames(all);
  const services = all.filter((s) => s.atLoad).map((s) => s.name);
  const late = all.filter((s) => !s.atLoad).map((s) => s.name);
  // Services made later live in the main container: the others find them there.
  const listed = late.map((name) => `${name}=${main}:8080`).join(',');
  const program = (name: string) => [
    `  ${name}:`,
    '    build: .',
    '    environment:',
    `      AMQP_URL: ${q(`amqp://spp:spp@${broker}:5672`)}`,
    `      SPP_PORT: "8080"`,
    ...(listed ? [`      SPP_SERVICES: ${q(listed)}`] : []),
    '    volumes:',
    `      - "./traces:/app/traces"`,
  ];
  const dependsOn = (names: readonly string[]) => ['    depends_on:', ...names.flatMap((n) => [`      ${n}:`, '        condition: service_healthy'])];
  const lines = [
    '# docker compose up: RabbitMQ, one container per service of the program, and one that runs main().',
    '# Traces are written to ./traces (open them in the playground with "Open trace…").',
    'services:',
    `  ${broker}:`,
    `    image: "rabbitmq:3-management"`,
    '    environment:',
    '      RABBITMQ_DEFAULT_USER: "spp"',
    '      RABBITMQ_DEFAULT_PASS: "spp"',
    '    ports:',
    `      - "15672:15672" # management UI: http://localhost:15672 (spp / spp)`,
    '    healthcheck:',
    `      test: ${list(['CMD', 'rabbitmq-diagnostics', '-q', 'ping'])}`,
    '      interval: 5s',
    '      timeout: 10s',
    '      retries: 30',
    '      start_period: 10s',
  ];
  for (const name of services) {
    lines.push(
      ...program(name),
      `    command: ${list(['run', PROGRAM_PATH, '--only', name, '--no-main', '--ready-file', READY_FILE, '--trace', `traces/${name}.json`])}`,
      ...dependsOn([broker]),
      '    healthcheck:',
      `      test: ${list(['CMD', 'test', '-f', READY_FILE])}`,
      '      interval: 2s',
      '      timeout: 5s',
      '      retries: 60',
    );
  }
  lines.push(
    ...program(main),
    `    command: ${list(['run', PROGRAM_PATH, ...(late.length > 0 ? ['--only', late.join(',')] : ['--no-services']), '--trace', 'traces/main.json'])}`,
    ...dependsOn([broker, ...services]),
  );
  return `${lines.join('\n')}\n`;
}

function readme({ title, services }: ProjectInput): string {
  const { broker, main } = containerNames(services);
  const serviceList = services.length > 0 ? services.map((s) => `\`${s.name}\``).join(', ') : 'none';
  const late = services.filter((s) => !s.atLoad).map((s) => `\`${s.name}\``);
  return `# ${title}

A program from the Service Patterns Playground, on real infrastructure: its services are
Express servers on real HTTP, its queues and events go through a real RabbitMQ, and time is the
wall clock. \`${RUNTIME_PATH}\` is the playground's runtime (the \`spp\` command and the
\`playground\` module the program imports) in one prebuilt file; the program is \`${PROGRAM_PATH}\`.
Services of this program: ${serviceList}.

## Run it with a local RabbitMQ

Needs Node 20.19 or later and a RabbitMQ on this machine (for example
\`docker run -d -p 5672:5672 rabbitmq:3\`, or your system's \`rabbitmq-server\`):

\`\`\`sh
npm install && AMQP_URL=amqp://127.0.0.1 npm start
\`\`\`

Every service runs in this one process, on a free port of 127.0.0.1, and is called by its name
(\`http://payment-service/…\`). Add options after \`--\`: \`npm start -- --trace trace.json\` writes
the trace, which the playground opens with "Open trace…"; \`--seed 42\` fixes the random draws;
\`--faults plan.json\` applies a fault plan's HTTP faults; \`npm run help\` lists every option.

## Run it with Docker

\`\`\`sh
docker compose up
\`\`\`

This starts RabbitMQ (management UI on http://localhost:15672, user \`spp\`, password \`spp\`),
one container per service, each serving only that service (\`--only\`) on port 8080 where the
others reach it by its container name, and \`${main}\`, which runs \`main()\` once every service
is healthy${late.length > 0 ? ` and serves ${late.join(', ')} (made inside a function, so only the process that runs \`main()\` has ${late.length === 1 ? 'it' : 'them'})` : ''}. Each container writes its trace to \`./traces\` when it stops;
\`docker compose up --exit-code-from ${main}\` stops them all when \`main()\` is done.

\`main()\` then runs in a process of its own: what it reads from a service's memory (an event
store, a saga's state) lives in that service's container, so such a result can differ from the
one-process run. The broker is \`${broker}\`; queues and messages behave as on any RabbitMQ.
`;
}
