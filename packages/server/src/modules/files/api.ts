// What other features may use of files: the one door into it (the boundary test holds every
// other feature to this file). Documents keep their versions as files of the organisation.
export { getFile, recordFile } from './service.js';
