import { z } from 'zod';
import { ROLES } from '../http/auth-context';
import { countryCode, timezone } from '../http/common-schemas';
import { hasVisibleCharacter } from '../text/ignorable';
import { LOCALES } from '../mail';

export const locale = z.enum(LOCALES).openapi({ description: 'The language mails are written in' });

const email = z
  .email()
  .max(254)
  .transform((value) => value.trim().toLowerCase());

const displayName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine(hasVisibleCharacter, { message: 'must contain a visible character' });

/** Any characters (spaces included, as OWASP advises), but not only spaces or invisible ones. */
export const newPassword = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(200)
  .refine(hasVisibleCharacter, { message: 'must contain a character other than spaces' });

export const signupBody = z
  .object({
    email,
    password: newPassword,
    displayName,
    country: countryCode,
    timezone: timezone.optional(),
    locale: locale.optional(),
    accountType: z.enum(['member', 'brand']),
    brandName: displayName.optional(),
  })
  .strict()
  .refine((body) => body.accountType !== 'brand' || body.brandName !== undefined, {
    message: 'brandName is required for a brand account',
    path: ['brandName'],
  })
  .openapi('SignupRequest');
export type SignupInput = z.output<typeof signupBody>;

export const loginBody = z
  .object({ email, password: z.string().min(1).max(200) })
  .strict()
  .openapi('LoginRequest');
export type LoginInput = z.output<typeof loginBody>;

export const patchMeBody = z
  .object({
    displayName: displayName.optional(),
    timezone: timezone.optional(),
    autoConvertPoints: z.boolean().optional(),
    locale: locale.optional(),
  })
  .strict()
  .openapi('UpdateMeRequest');
export type PatchMeInput = z.output<typeof patchMeBody>;

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    country: z.string(),
    timezone: z.string(),
    roles: z.array(z.enum(ROLES)),
    brandId: z.string().optional(),
    autoConvertPoints: z.boolean(),
    emailVerified: z.boolean(),
    locale,
    createdAt: z.string(),
  })
  .openapi('User');
export type UserView = z.output<typeof userSchema>;

export const profileSchema = z
  .object({
    id: z.string(),
    displayName: z.string(),
    country: z.string(),
    accountType: z.enum(['member', 'brand']),
    brandName: z
      .string()
      .optional()
      .openapi({ description: 'The brand name given at signup; brand accounts only' }),
    createdAt: z.string(),
    listingsCount: z.number().int().openapi({ description: 'Active listings' }),
    notesCount: z.number().int().openapi({ description: 'Published notes' }),
  })
  .openapi('UserProfile');
export type ProfileView = z.output<typeof profileSchema>;

export const sessionSchema = z.object({ user: userSchema, token: z.string() }).openapi('Session');

export const changePasswordBody = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword })
  .strict()
  .openapi('ChangePasswordRequest');
export type ChangePasswordInput = z.output<typeof changePasswordBody>;

export const passwordResetBody = z.object({ email }).strict().openapi('PasswordResetRequest');

const oneTimeToken = z.string().min(20).max(200);

export const passwordResetConfirmBody = z
  .object({ token: oneTimeToken, newPassword })
  .strict()
  .openapi('PasswordResetConfirmRequest');

export const verifyEmailBody = z
  .object({ token: oneTimeToken })
  .strict()
  .openapi('VerifyEmailRequest');
