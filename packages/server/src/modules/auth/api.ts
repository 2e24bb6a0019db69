// What other features may use of auth: the one door into it (the boundary test holds every
// other feature to this file).
export { invitationEmail, sendAccountEmail } from './mail.js';
export { UserSchema } from './schemas.js';
export { createSession, createUser } from './service.js';
