export const ROLES = ['member', 'brand', 'moderator', 'finance', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, resolved from the bearer token once per request. */
export interface AuthContext {
  userId: string;
  roles: ReadonlySet<Role>;
  brandId: string | null;
  country: string;
  timezone: string;
}

export function hasRole(auth: AuthContext | undefined, ...roles: Role[]): boolean {
  return auth !== undefined && roles.some((role) => auth.roles.has(role));
}
