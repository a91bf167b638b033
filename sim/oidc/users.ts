/**
 * Demo staff accounts (people who decide, never patients: no PHI here). `roles` are the identity provider's role
 * names as they appear in the access token's `rcm_roles` claim; the decisions service maps them to product roles per
 * site (src/config/decisions.ts). The same users are in deploy/keycloak/rcm-realm.json for docker-compose.
 * Ids match the actors the demo and test journeys use (intake-1 prepares referrals, coder-1 reviews coding).
 */
export interface DemoUser {
  /** the token subject and the journey actor id */
  id: string;
  username: string;
  password: string;
  displayName: string;
  roles: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { id: 'intake-1', username: 'preparer', password: 'preparer-pass', displayName: 'Preparer (intake, billing specialist)', roles: ['intake-coordinator', 'billing-specialist'] },
  { id: 'coder-1', username: 'coder', password: 'coder-pass', displayName: 'Coder (coding review, billing specialist)', roles: ['coder', 'billing-specialist'] },
  { id: 'biller-2', username: 'approver', password: 'approver-pass', displayName: 'Approver (billing specialist)', roles: ['billing-specialist'] },
  { id: 'supervisor-1', username: 'supervisor', password: 'supervisor-pass', displayName: 'Supervisor (billing and coding)', roles: ['billing-supervisor', 'coding-supervisor'] },
  { id: 'cfo-1', username: 'cfo', password: 'cfo-pass', displayName: 'CFO', roles: ['cfo'] },
  { id: 'viewer-1', username: 'viewer', password: 'viewer-pass', displayName: 'Viewer (no decision role)', roles: [] },
];

export function findUser(by: { id?: string; username?: string }): DemoUser | undefined {
  return DEMO_USERS.find((u) => (by.id !== undefined && u.id === by.id) || (by.username !== undefined && u.username === by.username));
}
