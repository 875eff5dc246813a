import { date, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/*
 * The dashboards' rollup of `cases`, kept in step by the case store in the same transaction as
 * each change (src/db/dashboard-stats.ts), and built from scratch when it is missing. Each
 * figure is kept along several dimensions (`dim`): the city (no keys), a ward, a topic, a
 * service, a service's assignee, a ward's service and topic, a service's topic. Keys that do
 * not apply are ''. Days and months are the council's.
 */

/** Per month a case was opened: counts, and open cases by the month they were opened. */
export const caseStatsMonthly = pgTable('case_stats_monthly', {
  dim: text('dim').notNull(),
  k1: text('k1').notNull(),
  k2: text('k2').notNull(),
  k3: text('k3').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  created: integer('created').notNull().default(0),
  open: integer('open').notNull().default(0),
  acknowledged: integer('acknowledged').notNull().default(0),
  ackOnTime: integer('ack_on_time').notNull().default(0),
  /** Not acknowledged, with an acknowledge-by time. */
  ackPending: integer('ack_pending').notNull().default(0),
  responded: integer('responded').notNull().default(0),
  respOnTime: integer('resp_on_time').notNull().default(0),
  respPending: integer('resp_pending').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.dim, t.k1, t.k2, t.k3, t.month] })]);

/** Per day: cases opened that day and cases resolved that day (the weekly trend). */
export const caseStatsDaily = pgTable('case_stats_daily', {
  dim: text('dim').notNull(),
  k1: text('k1').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  created: integer('created').notNull().default(0),
  resolved: integer('resolved').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.dim, t.k1, t.day] })]);

/** Times to acknowledge (measure 1) and respond (2) of the cases opened in a month, counted per bucket. */
export const caseStatsHist = pgTable('case_stats_hist', {
  dim: text('dim').notNull(),
  k1: text('k1').notNull(),
  k2: text('k2').notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  measure: smallint('measure').notNull(),
  bucket: smallint('bucket').notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.dim, t.k1, t.k2, t.month, t.measure, t.bucket] })]);

/**
 * Open cases with a deadline still to meet (not waiting for information), by the day of their
 * earliest such deadline and the month they were opened: overdue now is every day before today,
 * and today's cases read from `cases`.
 */
export const caseStatsDue = pgTable('case_stats_due', {
  dim: text('dim').notNull(),
  k1: text('k1').notNull(),
  k2: text('k2').notNull(),
  day: date('day', { mode: 'string' }).notNull(),
  month: date('month', { mode: 'string' }).notNull(),
  n: integer('n').notNull().default(0),
}, (t) => [primaryKey({ columns: [t.dim, t.k1, t.k2, t.day, t.month] })]);

/**
 * One row once the rollup is started: the time zone its days and months are in, which tables it
 * has, and, while it is being built in batches (dashboard-stats-build.ts), how far it has come.
 */
export const caseStatsMeta = pgTable('case_stats_meta', {
  id: smallint('id').primaryKey(),
  zone: text('zone').notNull(),
  /** Raised when the rollup gains a table or a dimension: a rollup of an older version is built again. */
  version: smallint('version').notNull().default(1),
  builtAt: timestamp('built_at', { withTimezone: true, mode: 'date' }).notNull(),
  /** While being built: the rollup counts the cases whose id is at most this; null once every case is counted. */
  buildCursor: uuid('build_cursor'),
  /** While being built: cases when the build began, and how many batches have counted so far. */
  casesTotal: integer('cases_total').notNull().default(0),
  casesDone: integer('cases_done').notNull().default(0),
});
