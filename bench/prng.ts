// One seeded PRNG for the bench and the tests' seeded data.
export { prng } from '../packages/server/src/test/prng.js';
