// The allowed arrows between parts of the code (ARCHITECTURE.md draws the same picture).
// `npm test` checks them with scripts/boundaries.mjs, which also counts the folder graph:
// feature-to-feature pairs, folder cycles and floors.
const SERVER = '^packages/server/src/';
// Below the features: the edge, the access kernel, the database and the services they use.
const FOUNDATION = `${SERVER}(access|db|http|storage|notify|config)/|${SERVER}(clock|errors)\\.ts$`;
const ABOVE_FEATURES = `${SERVER}(jobs|cli)/|${SERVER}app\\.ts$`;

/** A layer that may not import the listed parts. */
const forbid = (name, comment, from, to, extra = {}) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from, ...(extra.from ?? {}) },
  to: { path: to, ...(extra.to ?? {}) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-file-cycles',
      comment: 'A module may not reach itself through its imports.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    forbid(
      'core-is-pure',
      'packages/core is pure TypeScript used by server, CLI and browser: it imports neither of them.',
      '^packages/core/src/',
      '^packages/(server|web)/',
    ),
    {
      name: 'core-has-no-io',
      comment: 'packages/core does no I/O: no Node built-in modules.',
      severity: 'error',
      from: { path: '^packages/core/src/' },
      to: { dependencyTypes: ['core'] },
    },
    forbid(
      'web-talks-http',
      'The browser app reaches the server only over HTTP (its types come from the OpenAPI document).',
      '^packages/web/src/',
      '^packages/server/',
    ),
    forbid(
      'foundation-below-features',
      'access, db, http, storage, notify, config, clock and errors never import a feature, a job or the app.',
      FOUNDATION,
      `${SERVER}modules/|${ABOVE_FEATURES}`,
    ),
    forbid(
      'http-has-no-sessions',
      'The auth plugin receives session and token look-ups from app.ts; access checks do not know HTTP.',
      `${SERVER}access/`,
      `${SERVER}http/`,
    ),
    forbid(
      'db-is-the-floor',
      'The database layer imports only settings, errors and the clock.',
      `${SERVER}db/`,
      `${SERVER}(access|http|storage|notify)/`,
    ),
    forbid(
      'reports-are-builders',
      'reports/ turns data it is given into documents: it reads no database and knows no feature, request or job.',
      `${SERVER}reports/`,
      `${SERVER}(modules|jobs|cli|db|http|access|storage|notify)/|${SERVER}app\\.ts$`,
    ),
    forbid(
      'features-below-jobs',
      'Features do not import jobs, commands or the app: jobs call features, not the other way round.',
      `${SERVER}modules/`,
      ABOVE_FEATURES,
    ),
    forbid(
      'jobs-below-commands',
      'Jobs do not import commands or the app.',
      `${SERVER}jobs/`,
      `${SERVER}(cli/|app\\.ts$)`,
    ),
    {
      name: 'features-through-api',
      comment: "A feature uses another only through that feature's api.ts, its one named interface.",
      severity: 'error',
      from: { path: `${SERVER}modules/([^/]+)/` },
      to: { path: `${SERVER}modules/[^/]+/`, pathNot: [`${SERVER}modules/$1/`, `${SERVER}modules/[^/]+/api\\.ts$`] },
    },
    {
      name: 'jobs-through-api',
      comment: "A job calls a feature only through that feature's api.ts, like another feature would.",
      severity: 'error',
      from: { path: `${SERVER}jobs/` },
      to: { path: `${SERVER}modules/[^/]+/`, pathNot: `${SERVER}modules/[^/]+/api\\.ts$` },
    },
    forbid(
      'test-helpers-in-tests',
      'src/test holds test helpers: only tests and other helpers import it, and it never reaches dist.',
      '^packages/(server|core|web)/src/(?!test/)',
      `${SERVER}test/`,
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.tsx?$', '\\.d\\.ts$', '/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] },
  },
};
