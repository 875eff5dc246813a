import type { CaseService, CaseContext } from '../cases/case-service.js';
import { parseReference, formatReference } from '../cases/reference.js';
import type { Service } from '../catalogue/catalogue.js';
import type { Db, Tx } from '../db/client.js';
import {
  countRequest, findActiveKeyByHash, findInboundUpdate, findOpen311Case, insertOpen311Request, lastEventBy, listClientEvents,
  listOpen311Cases, loadBoundaries, reactivatePerson, recordInboundUpdate, type Open311Key,
} from '../db/open311-repo.js';
import type { Clock } from '../shared/clock.js';
import { asCaseId, asPersonId, asServiceId, type WardId } from '../shared/ids.js';
import type { Logger } from '../shared/logger.js';
import { hashApiKey } from './api-keys.js';
import { w3cDate, type Open311Object } from './open311-format.js';
import {
  attributes, coordinate, dateParam, emailParam, listParam, MAX_DESCRIPTION, Open311Failure, param, type Open311Params,
} from './open311-params.js';
import { fmsStatusOf, updateText } from './open311-updates.js';
import { wardFromAddress } from './ward-locator.js';
import { placePoint } from './ward-boundaries.js';

export interface Open311Deps {
  db: Db;
  /** The case services on a transaction this service holds, with the context read before it. */
  casesOn(tx: Tx, ctx: CaseContext): CaseService;
  clock: Clock;
  logger: Logger;
  loadContext(): Promise<CaseContext>;
  invalidateContext(): void;
  /** The jurisdiction this endpoint serves; another one given is "not found". */
  jurisdictionId: string;
  contact: string;
}

const NINETY_DAYS = 90 * 86_400_000;

const publicServices = (ctx: CaseContext) => ctx.index.catalogue.services.filter((s) => !s.restricted);

function serviceOf(ctx: CaseContext, code: string | null): Service {
  if (!code) throw new Open311Failure(400, 'service_code was not provided.');
  const s = ctx.index.service(code);
  if (!s || s.restricted) throw new Open311Failure(404, `service_code ${code} was not found.`);
  return s;
}

export function createOpen311Service(deps: Open311Deps) {
  const checkJurisdiction = (p: Open311Params) => {
    const j = param(p, 'jurisdiction_id', 200);
    if (j && j.toLowerCase() !== deps.jurisdictionId.toLowerCase()) throw new Open311Failure(404, `jurisdiction_id ${j} was not found; this endpoint serves ${deps.jurisdictionId}.`);
  };

  /** The client behind api_key, counted against its per-minute limit. */
  async function authenticate(p: Open311Params, method: string): Promise<Open311Key> {
    const raw = param(p, 'api_key', 200);
    const key = raw ? await findActiveKeyByHash(deps.db, hashApiKey(raw)) : null;
    if (!key) throw new Open311Failure(403, `Invalid api_key received -- can't proceed with ${method}.`);
    const now = deps.clock.now();
    const windowStart = new Date(Math.floor(now.getTime() / 60_000) * 60_000);
    const n = await countRequest(deps.db, key.id, windowStart);
    if (n > key.ratePerMinute) throw new Open311Failure(429, `Too many requests: ${key.ratePerMinute} a minute for this api_key; try again after ${w3cDate(new Date(windowStart.getTime() + 60_000))}.`);
    return key;
  }

  async function clientContext(key: Open311Key): Promise<CaseContext> {
    const ctx = await deps.loadContext();
    if (ctx.directory.byId.get(key.personId)?.active) return ctx;
    // A people import deactivates everyone not in the file, the client's entry included.
    await reactivatePerson(deps.db, key.personId);
    deps.invalidateContext();
    return deps.loadContext();
  }

  async function placeWard(ctx: CaseContext, lat: number | null, long: number | null, address: string | null): Promise<WardId | null> {
    if (lat !== null && long !== null) {
      const placed = placePoint(await loadBoundaries(deps.db), lat, long);
      if (placed.kind === 'ward') return placed.wardId;
    }
    return address ? wardFromAddress(address, ctx.index.catalogue, ctx.streets) : null;
  }

  return {
    discovery(baseUrl: string): Open311Object {
      return {
        changeset: '2026-12-03T00:00:00Z', contact: deps.contact, key_service: 'Ask the council\'s wardline administrators for an api_key.',
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: baseUrl, changeset: '2026-12-03T00:00:00Z', type: 'production', formats: ['text/xml', 'application/json'] }],
      };
    },

    async services(p: Open311Params): Promise<Open311Object[]> {
      checkJurisdiction(p);
      const ctx = await deps.loadContext();
      return publicServices(ctx).map((s) => ({
        service_code: s.id, service_name: s.name, description: s.covers.join(', '), metadata: false, type: 'realtime',
        keywords: keywordsOf(s), group: s.portfolio,
      }));
    },

    async definition(code: string, p: Open311Params): Promise<Open311Object> {
      checkJurisdiction(p);
      const s = serviceOf(await deps.loadContext(), code);
      return { service_code: s.id, attributes: [] };
    },

    async createRequest(p: Open311Params): Promise<Open311Object[]> {
      const key = await authenticate(p, 'create_request');
      checkJurisdiction(p);
      const ctx = await clientContext(key);
      const service = serviceOf(ctx, param(p, 'service_code', 100));
      const lat = coordinate(p, 'lat');
      const long = coordinate(p, 'long');
      if ((lat === null) !== (long === null)) throw new Open311Failure(400, 'lat and long must both be sent.');
      const address = param(p, 'address_string', 500);
      const addressId = param(p, 'address_id', 100);
      if (lat === null && !address && !addressId) throw new Open311Failure(400, 'A full location parameter must be submitted: lat and long, address_string or address_id.');
      const rawDescription = p.description;
      if (typeof rawDescription === 'string' && rawDescription.length > MAX_DESCRIPTION) throw new Open311Failure(400, `description is longer than ${MAX_DESCRIPTION} characters.`);
      const description = param(p, 'description', MAX_DESCRIPTION) ?? '';
      const reporter = {
        email: emailParam(p), firstName: param(p, 'first_name', 100), lastName: param(p, 'last_name', 100), phone: param(p, 'phone', 40),
        deviceId: param(p, 'device_id', 200), accountId: param(p, 'account_id', 200), mediaUrl: param(p, 'media_url', 2000),
      };
      const attrs = attributes(p);
      const wardId = await placeWard(ctx, lat, long, address);
      const location = address ?? (lat !== null ? `${lat}, ${long}` : `address ${addressId}`);
      const text = description || `${service.name} reported through Open311.`;
      // One transaction: the case, every message about it and its reporter's details, or none of them.
      const opened = await deps.db.transaction(async (tx) => {
        const caseRecord = await deps.casesOn(tx, ctx).openCase(asPersonId(key.personId), {
          serviceId: asServiceId(service.id), wardId, urgent: false, topic: null, location,
          summary: text.replace(/\s+/g, ' ').slice(0, 140), description: text,
        });
        await insertOpen311Request(tx, {
          caseId: caseRecord.id, keyId: key.id, lat, long, addressString: address, addressId, attributes: attrs, ...reporter, createdAt: deps.clock.now(),
        });
        return caseRecord;
      });
      deps.logger.info({ reference: opened.reference, routed: opened.routing?.kind ?? 'unrouted', client: key.name }, 'open311 request opened a case');
      const notice = wardId ? `Sent to the ${service.name} team.` : 'Received; the council will place it in a ward and pass it to the right team.';
      return [{ service_request_id: opened.reference, service_notice: notice, account_id: null }];
    },

    async listRequests(p: Open311Params): Promise<Open311Object[]> {
      checkJurisdiction(p);
      const ctx = await deps.loadContext();
      const ids = listParam(p, 'service_request_id');
      const statuses = listParam(p, 'status');
      if (statuses?.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Failure(400, 'status must be open or closed.');
      const start = dateParam(p, 'start_date');
      const end = dateParam(p, 'end_date');
      if (start && end && end.getTime() - start.getTime() > NINETY_DAYS) throw new Open311Failure(400, 'start_date and end_date may not span more than 90 days.');
      const now = deps.clock.now();
      const rows = await listOpen311Cases(deps.db, ids ? { seqs: ids.map(seqOf).filter((n): n is number => n !== null), limit: 200 } : {
        ...(listParam(p, 'service_code') ? { serviceIds: listParam(p, 'service_code')! } : {}),
        start: start ?? (end ? new Date(end.getTime() - NINETY_DAYS) : new Date(now.getTime() - NINETY_DAYS)),
        ...(end ? { end } : {}),
        ...(statuses && statuses.length === 1 ? { closed: statuses[0] === 'closed' } : {}),
        limit: 1000,
      });
      return rows.map((r) => requestView(ctx, r));
    },

    async getRequest(id: string, p: Open311Params): Promise<Open311Object[]> {
      checkJurisdiction(p);
      const seq = seqOf(id);
      const rows = seq === null ? [] : await listOpen311Cases(deps.db, { seqs: [seq], limit: 1 });
      if (!rows.length) throw new Open311Failure(404, `service_request_id ${id} was not found.`);
      const ctx = await deps.loadContext();
      return rows.map((r) => requestView(ctx, r));
    },

    /** FixMyStreet's servicerequestupdates: what the RM did on this client's requests. */
    async listUpdates(p: Open311Params): Promise<Open311Object[]> {
      const key = await authenticate(p, 'get_service_request_updates');
      checkJurisdiction(p);
      const now = deps.clock.now();
      const end = dateParam(p, 'end_date') ?? new Date(now.getTime() + 1000);
      const start = dateParam(p, 'start_date') ?? new Date(end.getTime() - NINETY_DAYS);
      const events = await listClientEvents(deps.db, key.id, start, end, 1000);
      return events.filter((e) => e.actorId !== key.personId && !(e.type === 'update' && (e.data as Record<string, unknown>).byRole !== 'staff')).map((e) => ({
        update_id: String(e.id), service_request_id: formatReference(e.seq), status: fmsStatusOf(e.type, e.toStatus),
        updated_datetime: w3cDate(e.at), description: updateText(e.type, e.data as Record<string, unknown>), media_url: '',
      }));
    },

    /** FixMyStreet posts a resident's update: a case event the RM sees in the card's thread. */
    async postUpdate(p: Open311Params): Promise<Open311Object[]> {
      const key = await authenticate(p, 'post_service_request_update');
      checkJurisdiction(p);
      const clientUpdateId = param(p, 'update_id', 100);
      const reqId = param(p, 'service_request_id', 40);
      if (!clientUpdateId || !reqId) throw new Open311Failure(400, `${clientUpdateId ? 'service_request_id' : 'update_id'} was not provided.`);
      const rawDescription = p.description;
      if (typeof rawDescription === 'string' && rawDescription.length > MAX_DESCRIPTION) throw new Open311Failure(400, `description is longer than ${MAX_DESCRIPTION} characters.`);
      const description = param(p, 'description', MAX_DESCRIPTION) ?? '';
      const status = (param(p, 'status', 40) ?? 'OPEN').toUpperCase();
      const reporter = { email: emailParam(p), firstName: param(p, 'first_name', 100), lastName: param(p, 'last_name', 100) };
      const seq = seqOf(reqId);
      const found = seq === null ? null : await findOpen311Case(deps.db, seq, key.id);
      if (!found) throw new Open311Failure(404, `service_request_id ${reqId} was not found.`);
      const already = await findInboundUpdate(deps.db, key.id, clientUpdateId);
      if (already !== null) return [{ update_id: String(already) }];
      const ctx = await clientContext(key);
      const actor = asPersonId(key.personId);
      const caseId = asCaseId(found.caseId);
      const text = description || `The resident marked it ${status.toLowerCase()}.`;
      // One transaction: the case's update and the record of who sent it, or neither.
      const eventId = await deps.db.transaction(async (tx) => {
        const cases = deps.casesOn(tx, ctx);
        if (status === 'OPEN' && (found.status === 'resolved')) await cases.reopen(caseId, actor, text);
        else await cases.addUpdate(caseId, actor, text, { source: 'open311' });
        const id = (await lastEventBy(tx, caseId, actor))!;
        await recordInboundUpdate(tx, { keyId: key.id, clientUpdateId, caseId, eventId: id, ...reporter });
        return id;
      });
      return [{ update_id: String(eventId) }];
    },
  };
}

/** The service's words as plain keywords: the lexicon's markers (`=exact`, `~weak`, `prefix*`) removed, each once. */
function keywordsOf(s: Service): string {
  const words = [...s.covers, ...s.vocabulary].map((w) => w.replace(/^[=~]/, '').replace(/\*$/, '').trim()).filter(Boolean);
  return [...new Map(words.map((w) => [w.toLowerCase(), w])).values()].join(', ');
}

/** `WL-000123` or `123`. */
function seqOf(id: string): number | null {
  if (/^\d{1,12}$/.test(id)) return Number(id) || null;
  return parseReference(id);
}

type RequestRow = Awaited<ReturnType<typeof listOpen311Cases>>[number];

function requestView(ctx: CaseContext, r: RequestRow): Open311Object {
  const closed = r.status === 'resolved' || r.status === 'closed';
  return {
    service_request_id: formatReference(r.seq), status: closed ? 'closed' : 'open', status_notes: null,
    service_name: r.serviceId ? ctx.index.service(r.serviceId)?.name ?? r.serviceId : null, service_code: r.serviceId,
    description: r.serviceId && ctx.index.service(r.serviceId)?.restricted ? null : r.description, agency_responsible: null, service_notice: null,
    requested_datetime: w3cDate(r.createdAt), updated_datetime: w3cDate(r.updatedAt), expected_datetime: w3cDate(r.respondBy),
    address: r.location, address_id: r.addressId, zipcode: null, lat: r.lat, long: r.long, media_url: null,
  };
}

export type Open311Service = ReturnType<typeof createOpen311Service>;
