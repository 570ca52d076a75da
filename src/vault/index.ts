export {
  DEVELOPMENT_HMAC_KEY,
  emailHmac,
  vaultSettingsOf,
  vaultUnavailable,
  vaultUrlOf,
  type Access,
  type PostalAddress,
  type VaultSettings,
} from './vault-core';
export { placeWithSealedAddress, type SealedAddress } from './vault-orders';
export { Vault } from './vault.repository';
