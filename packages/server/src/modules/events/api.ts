// What other features may use of events: the one door into it (the boundary test holds every
// other feature to this file). Documents record the submission of a self-check report here.
export { recordEvent, withdrawEvent } from './service.js';
