// The app's routes as mounted. Express 5 keeps no readable mount path on its layers, so every
// router is mounted through here: metrics label a request by its route pattern (never the
// raw URL, whose ids would explode the series), and a test holds docs/openapi.yaml to the
// real routes.
import type { Express, Request, Router } from 'express';

export interface RouteInfo {
  /** Upper case: GET, POST… */
  method: string;
  /** Express syntax, e.g. /api/match/:ticketId/events */
  path: string;
}

const tables = new WeakMap<object, RouteTable>();

const join = (base: string, path: string) => {
  const full = `${base}${path}`;
  return full.length > 1 && full.endsWith('/') ? full.slice(0, -1) : full;
};

export class RouteTable {
  private readonly mounts: { base: string; router: Router }[] = [];
  /** Each route's mount path; null for a route of no mounted router. */
  private readonly bases = new WeakMap<object, string | null>();

  constructor(private readonly app: Express) {
    tables.set(app, this);
  }

  /** Mounts `router` at `base` ('' for the root) and remembers where. */
  mount(base: string, router: Router): void {
    this.mounts.push({ base, router });
    if (base) this.app.use(base, router);
    else this.app.use(router);
  }

  /**
   * Where the router holding `route` is mounted. Read from the routers, not stamped on each
   * request by a middleware: that was a router layer more on every request's path.
   */
  baseOf(route: object): string | undefined {
    const known = this.bases.get(route);
    if (known !== undefined) return known ?? undefined;
    // A route added after its router was mounted: index them all again. A route of no mounted
    // router (one on the app itself) is remembered as such, so it costs this walk once.
    for (const { base, router } of this.mounts)
      for (const layer of router.stack) if (layer.route) this.bases.set(layer.route, base);
    if (!this.bases.has(route)) this.bases.set(route, null);
    return this.bases.get(route) ?? undefined;
  }

  routes(): RouteInfo[] {
    return this.mounts.flatMap(({ base, router }) =>
      router.stack.flatMap((layer) => {
        const route = layer.route;
        if (!route || typeof route.path !== 'string') return [];
        const methods = new Set(route.stack.map((l) => l.method.toUpperCase()));
        return [...methods].map((method) => ({ method, path: join(base, route.path) }));
      }),
    );
  }
}

/** Every route mounted through the app's RouteTable. */
export function routesOf(app: Express): RouteInfo[] {
  return tables.get(app)?.routes() ?? [];
}

/** The route pattern that answered, or `unmatched` (404s, static files). */
export function routeLabel(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (typeof route?.path !== 'string') return 'unmatched';
  const base = tables.get(req.app)?.baseOf(route);
  return base === undefined ? 'unmatched' : join(base, route.path);
}
