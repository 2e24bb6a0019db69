// What other features may use of public: the one door into it (the boundary test holds every
// other feature to this file).
export { newPublicSlug, publicPath } from './service.js';
