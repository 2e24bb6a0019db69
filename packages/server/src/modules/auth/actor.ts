/** Who is making a request, as established by the session cookie or an API token. */
export interface Actor {
  userId: string;
  email: string;
  name: string;
  isAdmin: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

/** Request facts a service records in the audit log. */
export interface RequestMeta {
  ip: string;
}
