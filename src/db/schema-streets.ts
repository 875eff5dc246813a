import { pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { wards } from './schema.js';

/** The council's street gazetteer: one row per street and ward it lies in (and postcode district, '' when not given). */
export const streets = pgTable('streets', {
  street: text('street').notNull(),
  wardId: text('ward_id').notNull().references(() => wards.id),
  postcodeDistrict: text('postcode_district').notNull().default(''),
}, (t) => [primaryKey({ columns: [t.street, t.wardId, t.postcodeDistrict] })]);
