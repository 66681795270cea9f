/**
 * The password policy for agents' logins, stated once: the API description, the README and the check
 * all read POLICY_TEXT / the rules below, so they cannot drift.
 */
import { ValidationError } from '../../domain/errors.ts';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

export const PASSWORD_POLICY_TEXT =
  `At least ${PASSWORD_MIN_LENGTH} characters (at most ${PASSWORD_MAX_LENGTH}), at least one letter and one digit, ` +
  'and not containing the part of the email before the @ (compared case-insensitively).';

interface Rule {
  rule: string;
  message: string;
  broken: (password: string, email: string) => boolean;
}

const RULES: readonly Rule[] = [
  { rule: 'min_length', message: `must be at least ${PASSWORD_MIN_LENGTH} characters`, broken: (p) => p.length < PASSWORD_MIN_LENGTH },
  { rule: 'max_length', message: `must be at most ${PASSWORD_MAX_LENGTH} characters`, broken: (p) => p.length > PASSWORD_MAX_LENGTH },
  { rule: 'letter', message: 'must contain at least one letter', broken: (p) => !/\p{L}/u.test(p) },
  { rule: 'digit', message: 'must contain at least one digit', broken: (p) => !/\d/.test(p) },
  {
    rule: 'no_email_name',
    message: 'must not contain the part of the email before the @',
    // A one- or two-letter local part would forbid half the alphabet: the rule is about guessable passwords.
    broken: (p, email) => {
      const local = email.split('@')[0]?.toLowerCase() ?? '';
      return local.length >= 3 && p.toLowerCase().includes(local);
    },
  },
];

/** The rules `password` breaks (empty when it is acceptable). */
export function passwordProblems(password: string, email: string): Array<{ rule: string; message: string }> {
  return RULES.filter((r) => r.broken(password, email)).map(({ rule, message }) => ({ rule, message }));
}

/** A 400 naming every broken rule (`details.fields[].message` is "password: <rule>: <message>"). */
export function assertPasswordPolicy(password: string, email: string): void {
  const problems = passwordProblems(password, email);
  if (problems.length === 0) return;
  throw new ValidationError(
    `Password does not meet the policy: ${problems.map((p) => p.message).join('; ')}`,
    problems.map((p) => ({ field: 'password', message: `${p.rule}: ${p.message}` })),
  );
}
