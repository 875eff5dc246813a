/** Branded ids: ward and service ids are both slugs and easy to swap by mistake. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type WardId = Brand<string, 'WardId'>;
export type ServiceId = Brand<string, 'ServiceId'>;
export type ClusterId = Brand<string, 'ClusterId'>;
export type DistrictId = Brand<string, 'DistrictId'>;
export type PersonId = Brand<string, 'PersonId'>;
export type CaseId = Brand<string, 'CaseId'>;

export const asWardId = (s: string) => s as WardId;
export const asServiceId = (s: string) => s as ServiceId;
export const asClusterId = (s: string) => s as ClusterId;
export const asDistrictId = (s: string) => s as DistrictId;
export const asPersonId = (s: string) => s as PersonId;
export const asCaseId = (s: string) => s as CaseId;
