// What other features may use of certificates: the one door into it (the boundary test holds every
// other feature to this file).
export { loadCertificate } from './service.js';
