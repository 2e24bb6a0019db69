/** Who is making a request, as established by the session cookie or an API token. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** Set until an account created with a temporary password has chosen its own. */
  mustChangePassword?: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

/** Request facts a service records in the audit log. */
export interface RequestMeta {
  ip: string;
}
