import type { CreateOrderInput, OrderView } from '../orders';
import type { Vault } from './vault.repository';

/** What an order of a vault member keeps in `orders.shipping_address`: the vault's reference. */
export interface SealedAddress {
  vaultRef: string;
  country: string;
}

/**
 * Places a vault member's order: the address goes to the vault first and the order keeps its
 * reference (and the country, which shipping rules check); an order that is not placed takes
 * its address out of the vault again.
 */
export async function placeWithSealedAddress(
  vault: Vault,
  buyerId: string,
  input: CreateOrderInput,
  place: (input: CreateOrderInput) => Promise<OrderView>,
): Promise<OrderView> {
  const vaultRef = await vault.sealAddress(buyerId, input.shippingAddress);
  const sealed: SealedAddress = { vaultRef, country: input.shippingAddress.country };
  try {
    return await place({
      ...input,
      shippingAddress: sealed as unknown as CreateOrderInput['shippingAddress'],
    });
  } catch (error) {
    await vault.dropAddress(vaultRef).catch(() => undefined);
    throw error;
  }
}

/** The sealed reference of a stored order address; null for an address kept in the order. */
export function sealedRef(stored: string): string | null {
  const parsed = JSON.parse(stored) as Partial<SealedAddress>;
  return typeof parsed.vaultRef === 'string' ? parsed.vaultRef : null;
}
